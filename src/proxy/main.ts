// Entry of the proxy's child process (see launch.ts). argv[2] is JSON {upstream, upstreamTimeoutMs,
// insecure, ca, host, port, controlPort, seed}. Prints one JSON line {url, controlUrl, token} when both
// ports listen, then nothing more: the token goes to the parent through this pipe, never through argv. A
// token the parent chose comes in the environment. Exits when stdin closes (the parent is gone: no
// orphans), on SIGTERM/SIGINT, and with code 1 and a message on stderr if it cannot start.
import { CONTROL_TOKEN_ENV } from '../mock/control-api.js';
import { serveAsChild } from '../core/service-process.js';
import { createProxy, type ProxyOptions } from './proxy.js';

serveAsChild(() => {
  const options = JSON.parse(process.argv[2] ?? '{}') as ProxyOptions;
  return createProxy({ ...options, token: process.env[CONTROL_TOKEN_ENV] || undefined });
});
