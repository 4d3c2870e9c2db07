// Runs the proxy in its own process (core/service-process.ts, as the mock is run): `startProxy` spawns
// this Node on dist/proxy/main.js and returns its URLs, its token, and a `stop()`. The load generator
// never shares its event loop with the proxy, and the proxy never outlives it.
import { compiledEntry, spawnService, type RunningService, type ServiceExit } from '../core/service-process.js';
import { childEnvWithToken } from '../mock/control-api.js';

export interface StartProxyOptions {
  upstream: string;
  upstreamTimeoutMs?: number;
  insecure?: boolean;
  /** PEM text of CAs to trust for an https upstream. */
  ca?: string;
  seed?: number;
  /** Traffic and control ports; default 0 (free ports), on 127.0.0.1. */
  port?: number;
  controlPort?: number;
  /** The control API's token; default: the child draws one and reports it back. */
  token?: string;
  startTimeoutMs?: number;
}

export type RunningProxy = RunningService;
export type ProxyExit = ServiceExit;

export function proxyMainPath(): string {
  return compiledEntry([new URL('./main.js', import.meta.url), new URL('../../dist/proxy/main.js', import.meta.url)], 'the proxy');
}

export async function startProxy(options: StartProxyOptions): Promise<RunningProxy> {
  const childOptions = {
    upstream: options.upstream,
    upstreamTimeoutMs: options.upstreamTimeoutMs,
    insecure: options.insecure,
    ca: options.ca,
    seed: options.seed ?? 1,
    host: '127.0.0.1',
    port: options.port ?? 0,
    controlPort: options.controlPort ?? 0,
  };
  const env = childEnvWithToken(options.token, 'startProxy: token');
  return spawnService({ what: 'the proxy', entry: proxyMainPath(), options: childOptions, env, startTimeoutMs: options.startTimeoutMs });
}
