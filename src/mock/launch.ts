// Runs the mock in its own process, so the load generator never shares its event loop: `startMock`
// spawns this Node on dist/mock/main.js, waits for the line with its URLs, and returns a handle whose
// `stop()` ends it (SIGTERM, then SIGKILL after 2 s). The parent alone decides when: the child leads a
// process group of its own, so a terminal's Ctrl-C (SIGINT to the foreground group) reaches the parent,
// which then lets requests in flight settle, and not the mock they are in flight to. No orphans all the
// same: the child exits when its stdin closes, which happens however the parent ends; and once
// started, the child never keeps the parent alive.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkMockConfig, type MockConfig } from './config/index.js';
import { checkControlToken, CONTROL_TOKEN_ENV } from './control-api.js';
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

export interface RunningMock {
  url: string;
  controlUrl: string;
  /** Every control request must carry it: `Authorization: Bearer <token>`. */
  token: string;
  pid: number;
  /**
   * Resolves when the child exits, however that happens: stop(), a crash, a kill from outside. A
   * caller that depends on the mock watches it to notice the mock is gone.
   */
  exited: Promise<MockExit>;
  /** Ends the mock: SIGTERM, then SIGKILL if it has not exited after 2 s. Safe to call twice; bounded. */
  stop(): Promise<void>;
}

export interface MockExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the child wrote on stderr (its last words: an out-of-memory report, a stack). */
  stderr: string;
}

const STDERR_KEPT = 8192;

/** The compiled child entry: next to this file in dist/, or <repo>/dist when running from src/ (vitest). */
export function mockMainPath(): string {
  const candidates = [new URL('./main.js', import.meta.url), new URL('../../dist/mock/main.js', import.meta.url)];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(`cannot find the mock's compiled entry (looked for ${candidates.map((c) => fileURLToPath(c)).join(', ')}); run \`npm run build\``);
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
  // The token never goes in argv (world-readable); one of the caller's own in the environment does not
  // reach the child unless given here.
  const env = { ...process.env };
  delete env[CONTROL_TOKEN_ENV];
  if (options.token !== undefined) env[CONTROL_TOKEN_ENV] = checkControlToken(options.token, 'startMock: token');
  const child = spawn(process.execPath, [mockMainPath(), JSON.stringify(childOptions)], { stdio: ['pipe', 'pipe', 'pipe'], env, detached: true });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
  });
  const exited = new Promise<MockExit>((resolve) =>
    // stderr may still be in flight when 'exit' fires; 'close' waits for the pipes.
    child.once('close', (code, signal) => resolve({ code, signal, stderr: stderr.trim() })),
  );

  return await new Promise<RunningMock>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      fail(new Error(`the mock did not start within ${options.startTimeoutMs ?? 10_000} ms${stderr ? `: ${stderr.trim()}` : ''}`));
      child.kill('SIGKILL');
    }, options.startTimeoutMs ?? 10_000);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      // stderr may still be in flight when 'exit' fires; give it a moment.
      setImmediate(() => fail(new Error(`the mock exited (${signal ?? `code ${code}`}) before it was ready${stderr ? `: ${stderr.trim()}` : ''}`)));
    };
    const onError = (err: Error) => fail(new Error(`cannot start the mock: ${err.message}`));
    const onData = (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      try {
        const { url, controlUrl, token } = JSON.parse(stdout.slice(0, newline)) as { url: string; controlUrl: string; token: string };
        cleanup();
        detach(child);
        resolve({ url, controlUrl, token, pid: child.pid!, exited, stop: () => stop(child, exited) });
      } catch {
        fail(new Error(`the mock printed something unexpected: ${stdout.slice(0, 200)}`));
        child.kill('SIGKILL');
      }
    };
    function cleanup() {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
      child.stdout!.off('data', onData);
    }
    function fail(err: Error) {
      cleanup();
      reject(err);
    }
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** After start the parent only keeps the pipes open (so the child notices when it goes), never the loop alive. */
function detach(child: ChildProcess): void {
  child.stdout!.resume();
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
}

/** A SIGKILLed process is gone at once, unless stuck in the kernel: then stop waiting for it. */
const KILL_WAIT_MS = 1000;

async function stop(child: ChildProcess, exited: Promise<MockExit>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  // A stopped (SIGSTOP, Ctrl-Z) mock would sit on the SIGTERM until SIGKILL; let it see it now.
  child.kill('SIGCONT');
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      timer = setTimeout(resolve, KILL_WAIT_MS);
    }, 2000);
  });
  await Promise.race([exited, gaveUp]);
  clearTimeout(timer);
}
