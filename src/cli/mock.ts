// `incident-load mock [profile]`: the bundled mock alone, in the foreground. Prints its traffic URL and
// then its control URL (one line each, so scripts can read them), then one line per fault applied or
// reverted, with its incident time; Ctrl-C (or SIGTERM) closes both ports and exits 130.
import { Command } from 'commander';
import { applyMockOverride, defaultMockConfig, type MockConfig } from '../mock/config.js';
import type { FaultEvent } from '../mock/faults/index.js';
import { createMock } from '../mock/mock.js';
import { loadProfile } from '../profile/load.js';
import { formatDuration } from '../profile/units.js';
import { collect, keyValue, valueFlag } from './flags.js';
import * as values from '../profile/values.js';
import { UsageError } from './usage-error.js';

interface MockOptions {
  mock?: [string, string][];
  port?: number;
  controlPort?: number;
  speed?: number;
  seed?: number;
}

export function mockCommand(): Command {
  return new Command('mock')
    .description('run the bundled mock alone: prints its traffic URL, then its control URL; Ctrl-C stops it')
    .argument('[profile]', "bundled profile name or path: its mock: section, speed and seed (default: the M/M/c defaults)")
    .option('--mock <key=value>', 'override a mock setting (repeatable), e.g. fleet.workers=8, queue.timeout=1m, routers=off', collect(keyValue('--mock')))
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
  incident-load fault shrink-fleet workers=4 --control http://127.0.0.1:<control port>`,
    )
    .action(async (ref: string | undefined, options: MockOptions) => {
      process.exitCode = await runMock(ref, options);
    });
}

function portFlag(flag: string): (value: string) => number {
  return valueFlag(flag, values.port);
}

async function runMock(ref: string | undefined, options: MockOptions): Promise<number> {
  const profile = ref === undefined ? undefined : loadProfile(ref);
  let config: MockConfig = profile?.mock ?? defaultMockConfig();
  for (const [key, value] of options.mock ?? []) {
    try {
      config = applyMockOverride(config, key, value);
    } catch (err) {
      throw new UsageError(`--mock ${key}=${value}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const mock = createMock(config, {
    speed: options.speed ?? profile?.speed ?? 1,
    seed: options.seed ?? profile?.seed ?? 1,
    port: options.port,
    controlPort: options.controlPort,
    onFault: (event) => process.stdout.write(`${faultLine(event)}\n`),
    onReset: (t) => process.stdout.write(`at ${formatDuration(t).padEnd(7)} reset: initial config, no faults, empty queue, counters at zero\n`),
  });
  let address;
  try {
    address = await mock.listen();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES') throw new UsageError(`cannot listen on port ${(e as { port?: number }).port ?? '?'}: ${e.code === 'EADDRINUSE' ? 'already in use' : 'permission denied'}`);
    throw err;
  }
  process.stdout.write(`traffic  ${address.url}\ncontrol  ${address.controlUrl}\n`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const t = mock.state().t;
  await mock.close();
  process.stderr.write(`mock stopped (${signal}) at ${formatDuration(t)} of incident time\n`);
  return 130;
}

/** `at 1m30s  fault 2 shrink-fleet workers=4 for=30s applied` */
export function faultLine(event: FaultEvent): string {
  const { record } = event;
  const params = Object.entries(event.input)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const at = event.kind === 'applied' ? record.at : (record.reverted ?? record.at);
  const what = event.kind === 'applied' ? `applied${record.until !== undefined ? ` (until ${formatDuration(record.until)})` : ''}` : 'reverted';
  return `at ${formatDuration(at).padEnd(7)} fault ${record.id} ${record.fault}${params ? ` ${params}` : ''} ${what}`;
}
