// Starts one of incident-load's own servers (the bundled mock, the proxy) in a child process, so the load
// generator never shares its event loop with it: spawns this Node on the server's compiled entry, waits
// for the one JSON line with its URLs and token, and returns a handle whose `stop()` ends it (SIGTERM,
// then SIGKILL after 2 s). The parent alone decides when: the child leads a process group of its own, so a
// terminal's Ctrl-C (SIGINT to the foreground group) reaches the parent, which then lets requests in
// flight settle, and not the server they are in flight to. No orphans all the same: the child exits when
// its stdin closes, which happens however the parent ends; and once started, the child never keeps the
// parent alive. The token travels in the environment and the child's stdout, never in argv.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ServiceAddress {
  url: string;
  controlUrl: string;
  token: string;
}

export interface RunningService extends ServiceAddress {
  pid: number;
  /** Resolves when the child exits, however that happens: stop(), a crash, a kill from outside. */
  exited: Promise<ServiceExit>;
  /** SIGTERM, then SIGKILL if it has not exited after 2 s. Safe to call twice; bounded. */
  stop(): Promise<void>;
}

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the child wrote on stderr (its last words: an out-of-memory report, a stack). */
  stderr: string;
}

export interface SpawnServiceOptions {
  /** What it is, for messages: "the mock", "the proxy". */
  what: string;
  /** The compiled entry. */
  entry: string;
  /** argv[2] of the child: JSON, never secrets. */
  options: unknown;
  env: NodeJS.ProcessEnv;
  /** How long to wait for the child to listen (default 10 s). */
  startTimeoutMs?: number;
}

const STDERR_KEPT = 8192;

/** The first of `candidates` that exists: the entry next to the caller in dist/, else <repo>/dist's (vitest runs src/). */
export function compiledEntry(candidates: readonly URL[], what: string): string {
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(`cannot find ${what}'s compiled entry (looked for ${candidates.map((c) => fileURLToPath(c)).join(', ')}); run \`npm run build\``);
}

export async function spawnService(options: SpawnServiceOptions): Promise<RunningService> {
  const { what } = options;
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const child = spawn(process.execPath, [options.entry, JSON.stringify(options.options)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: options.env,
    detached: true,
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
  });
  const exited = new Promise<ServiceExit>((resolve) =>
    // stderr may still be in flight when 'exit' fires; 'close' waits for the pipes.
    child.once('close', (code, signal) => resolve({ code, signal, stderr: stderr.trim() })),
  );

  return await new Promise<RunningService>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      fail(new Error(`${what} did not start within ${startTimeoutMs} ms${stderr ? `: ${stderr.trim()}` : ''}`));
      child.kill('SIGKILL');
    }, startTimeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      // stderr may still be in flight when 'exit' fires; give it a moment.
      setImmediate(() => fail(new Error(`${what} exited (${signal ?? `code ${code}`}) before it was ready${stderr ? `: ${stderr.trim()}` : ''}`)));
    };
    const onError = (err: Error) => fail(new Error(`cannot start ${what}: ${err.message}`));
    const onData = (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      try {
        const { url, controlUrl, token } = JSON.parse(stdout.slice(0, newline)) as ServiceAddress;
        cleanup();
        detach(child);
        resolve({ url, controlUrl, token, pid: child.pid!, exited, stop: () => stop(child, exited) });
      } catch {
        fail(new Error(`${what} printed something unexpected: ${stdout.slice(0, 200)}`));
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

async function stop(child: ChildProcess, exited: Promise<ServiceExit>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  // A stopped (SIGSTOP, Ctrl-Z) child would sit on the SIGTERM until SIGKILL; let it see it now.
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

/** What a child's entry serves: one of incident-load's servers (the mock, the proxy). */
export interface ChildService {
  listen(): Promise<ServiceAddress>;
  close(): Promise<void>;
}

/**
 * The child's side of the contract above, for its entry (src/mock/main.ts, src/proxy/main.ts): listen,
 * print the one JSON line with its URLs and token, and exit when stdin closes (the parent is gone), on
 * SIGTERM or SIGINT (closing first, for at most a second), or with code 1 and a message if it cannot start.
 */
export function serveAsChild(start: () => ChildService): void {
  const run = async (): Promise<void> => {
    const service = start();
    const address = await service.listen();
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      service.close().then(
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
  };
  run().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
