// `incident-load fault <name> [k=v ...] --control <url> [--for <dur>]`: injects a fault into a running
// mock through its control API and prints its id and incident time. The mock judges the fault: its 400
// becomes a usage error (exit 2) quoting its message; an unreachable control URL, a URL that is not a
// control API, and a missing or wrong token are usage errors too.
import { Command } from 'commander';
import { CONTROL_TOKEN_ENV } from '../mock/control-api.js';
import { faultNames } from '../mock/faults/index.js';
import { readTokenFile, TokenFileError, tokenFilePath } from '../mock/token-file.js';
import { formatDuration } from '../core/units.js';
import { ControlClient, ControlError, type FaultCreated } from '../run/control-client.js';
import { UsageError } from '../core/errors.js';
import { print } from './terminal.js';

interface FaultOptions {
  control: string;
  for?: string;
  token?: string;
  tokenFile?: string;
}

/** Where the token came from, for the message when the mock does not take it. */
interface FoundToken {
  token: string | undefined;
  source: string;
}

/** As long as ramp waits for a mock it drives (run/mock-companion.ts): a live mock can be that slow. */
const TIMEOUT_MS = 15_000;

export function faultCommand(): Command {
  return new Command('fault')
    .description('inject a fault into a running mock (see `incident-load mock`)')
    .argument('<name>', `the fault: ${faultNames.join(', ')}`)
    .argument('[params...]', 'its params as key=value, e.g. workers=4, timeout=1m, count=all')
    .requiredOption('--control <url>', 'the mock’s control URL, as `incident-load mock` printed it')
    .option('--for <dur>', 'revert by itself after this much incident time, e.g. 30s, 1h')
    .option(
      '--token <token>',
      `the mock's control token (visible to other users in the process list; default: $${CONTROL_TOKEN_ENV}, then --token-file, then the token file \`incident-load mock\` wrote for that port)`,
    )
    .option('--token-file <path>', 'read the control token from this file')
    .addHelpText(
      'after',
      `
Examples:
  incident-load fault shrink-fleet workers=4 --control http://127.0.0.1:41235
  incident-load fault kill-routers count=2 --for 30s --control http://127.0.0.1:41235
  incident-load fault set fleet.workers=8 queue.order=lifo --control http://127.0.0.1:41235`,
    )
    .action(async (name: string, pairs: string[], options: FaultOptions) => {
      const created = await injectFault(name, pairs, options);
      const until = created.until === undefined ? '' : ` (until ${formatDuration(created.until)})`;
      print(process.stdout, `fault ${created.id} ${created.fault} applied at ${formatDuration(created.at)} of incident time${until}\n`);
    });
}

async function injectFault(name: string, pairs: string[], options: FaultOptions): Promise<FaultCreated> {
  const body: Record<string, unknown> = { fault: name };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`fault ${name}: expected key=value params (e.g. workers=4), got ${JSON.stringify(pair)}`);
    body[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  if (options.for !== undefined) body.for = options.for;

  const control = controlUrl(options.control);
  const found = findToken(options, control);
  const client = new ControlClient(control.origin, found.token, { timeoutMs: TIMEOUT_MS });
  try {
    return await client.injectFault(body);
  } catch (err) {
    if (!(err instanceof ControlError)) throw err;
    throw new UsageError(explain(err, options.control, found));
  } finally {
    await client.close();
  }
}

function explain(err: ControlError, control: string, found: FoundToken): string {
  switch (err.problem) {
    case 'refused':
      return `the mock refused the fault: ${err.detail}`;
    case 'unreachable':
      return `cannot reach the mock's control API at ${control}: ${err.detail} (is \`incident-load mock\` running, and is this its control URL?)`;
    case 'timeout':
      return `the mock's control API at ${control} did not answer within ${TIMEOUT_MS / 1000} s (is the mock stopped or overloaded?)`;
    case 'not-control-api':
      return `${control} did not answer as an incident-load control API (it ${err.detail}): give the control URL that \`incident-load mock\` printed on its "control" line, not its traffic URL`;
    case 'unauthorized':
      return found.token === undefined
        ? `the mock's control API at ${control} needs its token, and none was found: give --token, set ${CONTROL_TOKEN_ENV} or give --token-file (${found.source})`
        : `the mock's control API at ${control} did not accept the token from ${found.source}: is that file or value this mock's?`;
    case 'failed':
      return `the mock's control API at ${control} answered ${err.status}: ${err.detail}`;
  }
}

function controlUrl(control: string): URL {
  let url: URL;
  try {
    url = new URL(control);
  } catch {
    throw new UsageError(`--control: expected the mock's control URL such as http://127.0.0.1:41235, got ${JSON.stringify(control)}`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`--control: the mock's control API speaks plain http, got ${JSON.stringify(control)}`);
  return url;
}

/** --token, then the environment, then --token-file, then the file `incident-load mock` wrote for that port. */
function findToken(options: FaultOptions, control: URL): FoundToken {
  if (options.token !== undefined) return { token: options.token, source: '--token' };
  const env = process.env[CONTROL_TOKEN_ENV];
  if (env) return { token: env, source: `$${CONTROL_TOKEN_ENV}` };
  try {
    if (options.tokenFile !== undefined) return { token: readTokenFile(options.tokenFile), source: `--token-file ${options.tokenFile}` };
  } catch (err) {
    if (err instanceof TokenFileError) throw new UsageError(`--token-file: ${err.message}`);
    throw err;
  }
  const path = tokenFilePath(Number(control.port || 80));
  try {
    return { token: readTokenFile(path), source: path };
  } catch {
    return { token: undefined, source: `no token file at ${path}: was the mock started by another user, or with another control port?` };
  }
}
