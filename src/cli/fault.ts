// `incident-load fault <name> [k=v ...] --control <url> [--for <dur>]`: injects a fault into a running
// mock (or proxy) through its control API and prints its id and time. The mock or proxy judges the fault: its 400
// becomes a usage error (exit 2) quoting its message; an unreachable control URL, a URL that is not a
// control API, and a missing or wrong token are usage errors too.
import { Command } from 'commander';
import { faultNames } from '../mock/faults/registry.js';
import { proxyFaultNames } from '../proxy/faults/registry.js';
import { formatDuration } from '../core/units.js';
import { ControlClient, ControlError, type FaultCreated } from '../run/control-client.js';
import { CONTROL_TIMEOUT_MS, controlUrl, explainControlError, findToken, TOKEN_FILE_HELP, TOKEN_HELP, type TokenOptions } from './control-target.js';
import { UsageError } from '../core/errors.js';
import { print } from './terminal.js';

interface FaultOptions extends TokenOptions {
  control: string;
  for?: string;
}

export function faultCommand(): Command {
  return new Command('fault')
    .description('inject a fault into a running mock or proxy (see `incident-load mock`, `incident-load proxy`)')
    .argument('<name>', `the fault: for a mock ${faultNames.join(', ')}; for a proxy ${proxyFaultNames.join(', ')}`)
    .argument('[params...]', 'its params as key=value, e.g. workers=4, timeout=1m, count=all')
    .requiredOption('--control <url>', 'the mock’s or proxy’s control URL, as `incident-load mock` or `proxy` printed it')
    .option('--for <dur>', 'revert by itself after this long (incident time for a mock, wall time for a proxy), e.g. 30s, 1h')
    .option('--token <token>', TOKEN_HELP)
    .option('--token-file <path>', TOKEN_FILE_HELP)
    .addHelpText(
      'after',
      `
Examples:
  incident-load fault shrink-fleet workers=4 --control http://127.0.0.1:41235
  incident-load fault kill-routers count=2 --for 30s --control http://127.0.0.1:41235
  incident-load fault set fleet.workers=8 queue.order=lifo --control http://127.0.0.1:41235
  incident-load fault add-latency latency=200ms jitter=50ms --for 1m --control http://127.0.0.1:41236   (a proxy)`,
    )
    .action(async (name: string, pairs: string[], options: FaultOptions) => {
      const created = await injectFault(name, pairs, options);
      const until = created.until === undefined ? '' : ` (until ${formatDuration(created.until)})`;
      const time = created.program === 'proxy' ? 'after the proxy started' : 'of incident time';
      print(process.stdout, `fault ${created.id} ${created.fault} applied at ${formatDuration(created.at)} ${time}${until}\n`);
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
  const client = new ControlClient(control.origin, found.token, { timeoutMs: CONTROL_TIMEOUT_MS });
  try {
    return await client.injectFault(body);
  } catch (err) {
    if (!(err instanceof ControlError)) throw err;
    if (err.problem === 'refused') throw new UsageError(`the ${err.program} refused the fault: ${err.detail}`);
    throw new UsageError(explainControlError(err, options.control, found));
  } finally {
    await client.close();
  }
}
