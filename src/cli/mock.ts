// `incident-load mock [profile]`: the bundled mock alone, in the foreground. Prints its traffic URL,
// then its control URL (one line each, so scripts can read them), then the file holding its control
// token (see mock/token-file.ts), then one line per fault applied or reverted, with its incident time;
// Ctrl-C (or SIGTERM) closes both ports, removes the token file and exits 130.
import { Command } from 'commander';
import { CONTROL_TOKEN_ENV } from '../mock/control-api.js';
import { applyMockOverride, defaultMockConfig, type MockConfig } from '../mock/config/index.js';
import { createMock } from '../mock/mock.js';
import { listenAddress } from '../core/listener-guard.js';
import { loadProfile } from '../profile/load.js';
import { formatDuration } from '../core/units.js';
import { collect, keyValue, valueFlag } from './flags.js';
import * as values from '../core/values.js';
import { UsageError } from '../core/errors.js';
import { faultLine, listenWithTokenFile, stopSignal, tokenFromEnv } from './foreground-server.js';
import { print } from './terminal.js';

interface MockOptions {
  mock?: [string, string][];
  host?: string;
  port?: number;
  controlPort?: number;
  speed?: number;
  seed?: number;
}

export function mockCommand(): Command {
  return new Command('mock')
    .description('run the bundled mock alone: prints its traffic URL, its control URL and its token file; Ctrl-C stops it')
    .argument('[profile]', 'bundled profile name or path: its mock: section, speed and seed (default: the M/M/c defaults)')
    .option('--mock <key=value>', 'override a mock setting (repeatable), e.g. fleet.workers=8, queue.timeout=1m, routers=off', collect(keyValue('--mock')))
    .option(
      '--host <address>',
      'listen on this address (default 127.0.0.1); 0.0.0.0 (every interface, as in a pod) opens the traffic port to the network and the control API to anyone with the token',
    )
    .option('--port <n>', 'traffic port (default: a free port)', portFlag('--port'))
    .option('--control-port <n>', 'control API port (default: a free port)', portFlag('--control-port'))
    .option('--speed <x>', 'incident time per wall time (60: a minute per second); default the profile’s, else 1', valueFlag('--speed', values.speed))
    .option('--seed <n>', 'seed of every random draw in the mock; default the profile’s, else 1', valueFlag('--seed', values.seed))
    .addHelpText(
      'after',
      `
Examples:
  incident-load mock --mock fleet.workers=8 --mock fleet.serviceTime=exp:200ms
  incident-load mock dalle-2023-03 --speed 60 --port 8080
  incident-load fault shrink-fleet workers=4 --control http://127.0.0.1:<control port>

The control API needs the mock's token (Authorization: Bearer <token>). It is random unless
${CONTROL_TOKEN_ENV} gives one, and written to the file on the third line (readable by you
only, removed when the mock stops), where \`incident-load fault\` finds it.`,
    )
    .action(async (ref: string | undefined, options: MockOptions) => {
      process.exitCode = await runMock(ref, options);
    });
}

function portFlag(flag: string): (value: string) => number {
  return valueFlag(flag, values.port);
}

async function runMock(ref: string | undefined, options: MockOptions): Promise<number> {
  const profile = ref === undefined ? undefined : loadProfile(ref, { env: 'placeholder' });
  let config: MockConfig = profile?.mock ?? defaultMockConfig();
  for (const [key, value] of options.mock ?? []) {
    try {
      config = applyMockOverride(config, key, value);
    } catch (err) {
      throw new UsageError(`--mock ${key}=${value}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const envToken = tokenFromEnv();
  let listen;
  try {
    listen = listenAddress(options.host);
  } catch (err) {
    throw new UsageError(`--host: ${(err as Error).message}`);
  }
  const mock = createMock(config, {
    host: listen.host,
    token: envToken,
    speed: options.speed ?? profile?.speed ?? 1,
    seed: options.seed ?? profile?.seed ?? 1,
    port: options.port,
    controlPort: options.controlPort,
    onFault: (event) => print(process.stdout, `${faultLine(event)}\n`),
    onReset: (t) => print(process.stdout, `at ${formatDuration(t).padEnd(7)} reset: initial config, no faults, empty queue, counters at zero\n`),
  });
  const { address, tokenFile, forget } = await listenWithTokenFile(mock);
  if (listen.remote)
    print(
      process.stderr,
      `incident-load: listening on ${listen.host}: the traffic port is open to the network, and the control API to whoever has the token\n`,
    );
  print(process.stdout, `traffic  ${address.url}\ncontrol  ${address.controlUrl}\ntoken    ${tokenFile}\n`);

  const signal = await stopSignal();
  const t = mock.state().t;
  await mock.close();
  forget();
  print(process.stderr, `mock stopped (${signal}) at ${formatDuration(t)} of incident time\n`);
  return 130;
}
