// Entry of the proxy's child process (see launch.ts). argv[2] is JSON {upstream, upstreamTimeoutMs,
// insecure, ca, host, port, controlPort, seed}. Prints one JSON line {url, controlUrl, token} when both
// ports listen, then nothing more: the token goes to the parent through this pipe, never through argv. A
// token the parent chose comes in the environment. Exits when stdin closes (the parent is gone: no
// orphans), on SIGTERM/SIGINT, and with code 1 and a message on stderr if it cannot start.
import { CONTROL_TOKEN_ENV } from '../mock/control-api.js';
import { createProxy, type ProxyOptions } from './proxy.js';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ProxyOptions;
  const proxy = createProxy({ ...options, token: process.env[CONTROL_TOKEN_ENV] || undefined });
  const address = await proxy.listen();

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    proxy.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();

  process.stdout.write(`${JSON.stringify(address)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
