// `incident-load fault <name> [k=v ...] --control <url> [--for <dur>]`: injects a fault into a running
// mock (or proxy) through its control API and prints its id and time; `fault --list` prints its fault
// log and `fault --revert <id>` reverts one now (toxiproxy-cli's list and delete). The mock or proxy
// judges the request: its 400 (or, for --revert, its 404 or 409) becomes a usage error (exit 2) quoting
// its message; an unreachable control URL, a URL that is not a control API, and a missing or wrong token
// are usage errors too.
import { Command } from 'commander';
import { faultNames } from '../mock/faults/registry.js';
import { proxyFaultNames } from '../proxy/faults/registry.js';
import { formatDuration } from '../core/units.js';
import type { ControlClient, FaultCreated } from '../run/control-client.js';
import * as values from '../core/values.js';
import { valueFlag } from './flags.js';
import { CONTROL_TIMEOUT_MS, controlUrl, explainControlError, findToken, TOKEN_FILE_HELP, TOKEN_HELP, type TokenOptions } from './control-target.js';
import { UsageError } from '../core/errors.js';
import { print } from './terminal.js';

interface FaultOptions extends TokenOptions {
  control: string;
  for?: string;
  list?: boolean;
  revert?: number;
}

export function faultCommand(): Command {
  return new Command('fault')
    .description('inject a fault into a running mock or proxy, list its faults, or revert one (see `incident-load mock`, `incident-load proxy`)')
    .argument('[name]', `the fault: for a mock ${faultNames.join(', ')}; for a proxy ${proxyFaultNames.join(', ')}`)
    .argument('[params...]', 'its params as key=value, e.g. workers=4, timeout=1m, count=all')
    .requiredOption('--control <url>', 'the mock’s or proxy’s control URL, as `incident-load mock` or `proxy` printed it')
    .option('--for <dur>', 'revert by itself after this long (incident time for a mock, wall time for a proxy), e.g. 30s, 1h')
    .option('--list', 'list the faults instead: id, fault, when applied, until, active or reverted, params')
    .option('--revert <id>', 'revert the fault with this id now (as --list or the injection printed it)', valueFlag('--revert', values.wholeNumber(1)))
    .option('--token <token>', TOKEN_HELP)
    .option('--token-file <path>', TOKEN_FILE_HELP)
    .addHelpText(
      'after',
      `
Examples:
  incident-load fault shrink-fleet workers=4 --control http://127.0.0.1:41235
  incident-load fault kill-routers count=2 --for 30s --control http://127.0.0.1:41235
  incident-load fault set fleet.workers=8 queue.order=lifo --control http://127.0.0.1:41235
  incident-load fault add-latency latency=200ms jitter=50ms --for 1m --control http://127.0.0.1:41236   (a proxy)
  incident-load fault --list --control http://127.0.0.1:41235
  incident-load fault --revert 2 --control http://127.0.0.1:41235`,
    )
    .action(async (name: string | undefined, pairs: string[], options: FaultOptions) => {
      checkMode(name, pairs, options);
      if (options.list) {
        const { renderFaultList } = await import('../report/text/fault-list.js');
        return print(process.stdout, await withClient(options, async (client) => renderFaultList(await client.faults(), client.program)));
      }
      if (options.revert !== undefined) {
        const id = options.revert;
        const { reverted, program } = await withClient(options, async (client) => ({ reverted: await client.revertFault(id), program: client.program }));
        const time = program === 'proxy' ? 'after the proxy started' : 'of incident time';
        return print(process.stdout, `fault ${reverted.id} ${reverted.fault} reverted at ${formatDuration(reverted.reverted ?? 0)} ${time}\n`);
      }
      const created = await injectFault(name!, pairs, options);
      const until = created.until === undefined ? '' : ` (until ${formatDuration(created.until)})`;
      const time = created.program === 'proxy' ? 'after the proxy started' : 'of incident time';
      print(process.stdout, `fault ${created.id} ${created.fault} applied at ${formatDuration(created.at)} ${time}${until}\n`);
    });
}

/** A fault to inject, --list or --revert <id>: exactly one, and nothing that belongs to another. */
function checkMode(name: string | undefined, pairs: readonly string[], options: FaultOptions): void {
  const other = options.list ? '--list' : options.revert !== undefined ? `--revert ${options.revert}` : undefined;
  if (options.list && options.revert !== undefined) throw new UsageError('give --list or --revert <id>, not both');
  if (other === undefined) {
    if (name === undefined)
      throw new UsageError('expected a fault to inject (e.g. incident-load fault shrink-fleet workers=4 --control <url>), --list or --revert <id>');
    return;
  }
  if (name !== undefined) throw new UsageError(`${other} takes no fault name or params, got ${JSON.stringify([name, ...pairs].join(' '))}`);
  if (options.for !== undefined) throw new UsageError(`${other}: --for is for a fault being injected`);
}

/**
 * Runs `action` against the control API, its errors as usage errors (exit 2) in the user's terms. The
 * client (and undici) loads only here: `fault --help` and a refused command do without it.
 */
async function withClient<T>(options: FaultOptions, action: (client: ControlClient) => Promise<T>): Promise<T> {
  const control = controlUrl(options.control);
  const found = findToken(options, control);
  const { ControlClient, ControlError } = await import('../run/control-client.js');
  const client = new ControlClient(control.origin, found.token, { timeoutMs: CONTROL_TIMEOUT_MS });
  try {
    return await action(client);
  } catch (err) {
    if (!(err instanceof ControlError)) throw err;
    const injecting = !options.list && options.revert === undefined;
    if (injecting && err.problem === 'refused') throw new UsageError(`the ${err.program} refused the fault: ${err.detail}`);
    if (options.revert !== undefined && (err.status === 404 || err.status === 409)) {
      const hint = err.status === 404 ? ` (incident-load fault --list --control ${options.control} shows its faults)` : '';
      throw new UsageError(`the ${err.program} could not revert fault ${options.revert}: ${err.detail}${hint}`);
    }
    throw new UsageError(explainControlError(err, options.control, found));
  } finally {
    await client.close();
  }
}

async function injectFault(name: string, pairs: string[], options: FaultOptions): Promise<FaultCreated> {
  const body: Record<string, unknown> = { fault: name };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`fault ${name}: expected key=value params (e.g. workers=4), got ${JSON.stringify(pair)}`);
    body[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  if (options.for !== undefined) body.for = options.for;

  return withClient(options, (client) => client.injectFault(body));
}
