// `incident-load proxy --upstream <url>`: the fault-injecting proxy alone, in the foreground, in front of
// a real service. Prints its traffic URL, then its control URL, then the file holding its control token
// (as `incident-load mock` does, so `incident-load fault` finds it), then the upstream, then one line per fault applied or
// reverted, with the time since it started; Ctrl-C (or SIGTERM) closes both ports, removes the token
// file and exits 130.
import { isIP } from 'node:net';
import { Command } from 'commander';
import { CONTROL_TOKEN_ENV } from '../mock/control-api.js';
import { readCa } from '../profile/load.js';
import { checkTargetUrl, redactTarget } from '../profile/target.js';
import { createProxy } from '../proxy/proxy.js';
import { proxyFaultNames } from '../proxy/faults/registry.js';
import { formatDuration, UnitError } from '../core/units.js';
import * as values from '../core/values.js';
import { UsageError } from '../core/errors.js';
import { durationFlag, valueFlag } from './flags.js';
import { faultLine, listenWithTokenFile, stopSignal, tokenFromEnv } from './foreground-server.js';
import { print } from './terminal.js';

interface ProxyCliOptions {
  upstream: string;
  port?: number;
  controlPort?: number;
  host?: string;
  upstreamTimeout?: number;
  seed?: number;
  insecure?: boolean;
  ca?: string;
}

/** 60 s: a gateway's usual patience; shorten-timeout cuts it while a fault is on. */
const DEFAULT_UPSTREAM_TIMEOUT_MS = 60_000;

export function proxyCommand(): Command {
  return new Command('proxy')
    .description('run the fault-injecting HTTP/1.1 proxy in front of a real service: prints its traffic URL, its control URL and its token file')
    .requiredOption('--upstream <url>', 'the service to forward to, http(s); a path in it is prefixed to every request’s')
    .option('--port <n>', 'traffic port (default: a free port)', valueFlag('--port', values.port))
    .option('--control-port <n>', 'control API port (default: a free port; always on loopback)', valueFlag('--control-port', values.port))
    .option('--host <address>', 'listen for traffic on this address (default 127.0.0.1; anything else opens the proxy to the network)', hostFlag)
    .option(
      '--upstream-timeout <dur>',
      'give up on an upstream that sends no response headers for this long: 504 (default 60s)',
      durationFlag('--upstream-timeout', { positive: true }),
    )
    .option('--seed <n>', 'seed of the faults’ shares (default 1)', valueFlag('--seed', values.seed))
    .option('-k, --insecure', 'accept any TLS certificate from an https upstream')
    .option('--ca <file>', 'trust the CA certificates in this PEM file for an https upstream')
    .addHelpText(
      'after',
      `
Faults: ${proxyFaultNames.join(', ')} (docs/proxy.md).

Examples:
  incident-load proxy --upstream http://127.0.0.1:8080 --port 9090
  incident-load fault add-latency latency=200ms jitter=50ms --for 1m --control http://127.0.0.1:<control port>
  incident-load ramp --target http://127.0.0.1:8080 --via-proxy --fault 10s:error-rate:rate=20%,for=10s --phase x:30s:50

The control API needs the proxy's token (Authorization: Bearer <token>). It is random unless
${CONTROL_TOKEN_ENV} gives one, and written to the file on the third line (readable by you
only, removed when the proxy stops), where \`incident-load fault\` finds it.`,
    )
    .action(async (options: ProxyCliOptions) => {
      process.exitCode = await runProxy(options);
    });
}

function hostFlag(value: string): string {
  if (value === 'localhost') return '127.0.0.1';
  if (isIP(value) === 0) throw new UsageError(`--host: expected an IP address to listen on, such as 127.0.0.1 or 0.0.0.0, got ${JSON.stringify(value)}`);
  return value;
}

async function runProxy(options: ProxyCliOptions): Promise<number> {
  let upstream: URL;
  try {
    upstream = checkTargetUrl(options.upstream);
  } catch (err) {
    throw new UsageError(`--upstream: ${err instanceof UnitError || err instanceof Error ? err.message : String(err)}`);
  }
  if (upstream.username !== '' || upstream.password !== '')
    throw new UsageError(`--upstream ${redactTarget(options.upstream)}: credentials in the URL are not forwarded; the clients' own Authorization headers are`);
  const envToken = tokenFromEnv();
  const proxy = createProxy({
    upstream: upstream.href,
    upstreamTimeoutMs: options.upstreamTimeout ?? DEFAULT_UPSTREAM_TIMEOUT_MS,
    insecure: options.insecure,
    ca: options.ca === undefined ? undefined : readCa(options.ca, '--ca', process.cwd()),
    host: options.host,
    port: options.port,
    controlPort: options.controlPort,
    seed: options.seed,
    token: envToken,
    onFault: (event) => print(process.stdout, `${faultLine(event)}\n`),
  });
  const { address, tokenFile, forget } = await listenWithTokenFile(proxy);
  print(process.stdout, `traffic  ${address.url}\ncontrol  ${address.controlUrl}\ntoken    ${tokenFile}\nupstream ${upstream.href}\n`);
  if (options.host !== undefined && options.host !== '127.0.0.1' && options.host !== '::1')
    print(process.stderr, `incident-load: the traffic port listens on ${options.host}: anyone who can reach it can send through the proxy\n`);

  const signal = await stopSignal();
  const t = proxy.state().t;
  await proxy.close();
  forget();
  print(process.stderr, `proxy stopped (${signal}) after ${formatDuration(t)}\n`);
  return 130;
}
