// Runs the mock in its own process, so the load generator never shares its event loop: `startMock`
// spawns this Node on dist/mock/main.js and returns a handle whose `stop()` ends it (SIGTERM, then
// SIGKILL after 2 s); core/service-process.ts does the spawning, the wait for the child's URLs and the
// stopping, for the proxy too. The child leads a process group of its own, so a terminal's Ctrl-C reaches
// the parent, which lets requests in flight settle, and not the mock they are in flight to; it exits when
// its stdin closes, however the parent ends, and never keeps the parent alive.
import { compiledEntry, spawnService, type RunningService, type ServiceExit } from '../core/service-process.js';
import { checkMockConfig, type MockConfig } from './config/index.js';
import { childEnvWithToken } from './control-api.js';
import { loopbackHost } from './http-util.js';

export interface StartMockOptions {
  config: MockConfig;
  /** Incident ms per wall ms (default 1). */
  speed?: number;
  seed?: number;
  /** 127.0.0.1 (default) or ::1. */
  host?: string;
  /** Traffic port; default 0 (a free port). */
  port?: number;
  /** Control port; default 0 (a free port). */
  controlPort?: number;
  /** The control API's token; default: the child draws a random one (and reports it back). */
  token?: string;
  /** How long to wait for the child to listen (default 10 s). */
  startTimeoutMs?: number;
}

/** `exited` resolves when the child exits, however that happens: a caller that depends on the mock watches it. */
export type RunningMock = RunningService;
export type MockExit = ServiceExit;

/** The compiled child entry: next to this file in dist/, or <repo>/dist when running from src/ (vitest). */
export function mockMainPath(): string {
  return compiledEntry([new URL('./main.js', import.meta.url), new URL('../../dist/mock/main.js', import.meta.url)], 'the mock');
}

export async function startMock(options: StartMockOptions): Promise<RunningMock> {
  const config = checkMockConfig(options.config);
  const childOptions = {
    config,
    speed: options.speed ?? 1,
    seed: options.seed ?? 1,
    host: loopbackHost(options.host),
    port: options.port ?? 0,
    controlPort: options.controlPort ?? 0,
  };
  const env = childEnvWithToken(options.token, 'startMock: token');
  return spawnService({ what: 'the mock', entry: mockMainPath(), options: childOptions, env, startTimeoutMs: options.startTimeoutMs });
}
