// `incident-load fault <name> [k=v ...] --control <url> [--for <dur>]`: injects a fault into a running
// mock through its control API and prints its id and incident time. The mock judges the fault: its 400
// becomes a usage error (exit 2) quoting its message; an unreachable control URL is a usage error too.
import { Command } from 'commander';
import { request } from 'undici';
import { faultNames } from '../mock/faults/index.js';
import { formatDuration } from '../profile/units.js';
import { UsageError } from './usage-error.js';

interface FaultOptions {
  control: string;
  for?: string;
}

interface FaultCreated {
  id: number;
  at: number;
  fault: string;
  params: Record<string, unknown>;
  until?: number;
}

export function faultCommand(): Command {
  return new Command('fault')
    .description('inject a fault into a running mock (see `incident-load mock`)')
    .argument('<name>', `the fault: ${faultNames.join(', ')}`)
    .argument('[params...]', 'its params as key=value, e.g. workers=4, timeout=1m, count=all')
    .requiredOption('--control <url>', 'the mock’s control URL, as `incident-load mock` printed it')
    .option('--for <dur>', 'revert by itself after this much incident time, e.g. 30s, 1h')
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
      process.stdout.write(`fault ${created.id} ${created.fault} applied at ${formatDuration(created.at)} of incident time${until}\n`);
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

  const endpoint = faultsEndpoint(options.control);
  let status: number;
  let text: string;
  try {
    const res = await request(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      headersTimeout: 5000,
      bodyTimeout: 5000,
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new UsageError(`cannot reach the mock's control API at ${options.control}: ${e.code ?? e.message ?? String(err)} (is \`incident-load mock\` running, and is this its control URL?)`);
  }
  const parsed = parseJson(text);
  if (status === 201 && parsed && typeof (parsed as FaultCreated).id === 'number') return parsed as FaultCreated;
  const message = (parsed as { error?: string } | undefined)?.error ?? text.trim();
  if (status === 400) throw new UsageError(`the mock refused the fault: ${message}`);
  throw new Error(`the mock's control API answered ${status}: ${message}`);
}

function faultsEndpoint(control: string): string {
  let url: URL;
  try {
    url = new URL(control);
  } catch {
    throw new UsageError(`--control: expected the mock's control URL such as http://127.0.0.1:41235, got ${JSON.stringify(control)}`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`--control: the mock's control API speaks plain http, got ${JSON.stringify(control)}`);
  return new URL('/faults', url).toString();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
