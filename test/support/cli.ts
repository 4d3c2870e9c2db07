// Runs the built CLI (bin/incident-load.js -> dist/) as a child process, as a user would.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { children } from './processes.js';

export const BIN = fileURLToPath(new URL('../../bin/incident-load.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /**
   * Send this signal `afterMs` after `when(pid)` first holds (polled every 20 ms; at once without it), so
   * that a slow start on a busy machine does not eat the time the run was meant to have.
   */
  signal?: { name: NodeJS.Signals; afterMs: number; when?: (pid: number) => boolean };
  env?: Record<string, string>;
  /** Kill the child if it runs longer than this (a test failure, not a hang). */
  timeoutMs?: number;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 25_000);
    let signaller: NodeJS.Timeout | undefined;
    const arm = (): void => {
      signaller = setTimeout(() => child.kill(options.signal!.name), options.signal!.afterMs);
    };
    const when = options.signal?.when;
    if (options.signal && !when) arm();
    else if (when) {
      signaller = setInterval(() => {
        if (child.pid === undefined || !when(child.pid)) return;
        clearInterval(signaller);
        arm();
      }, 20);
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      clearTimeout(signaller);
      clearInterval(signaller);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** For `signal.when`: the ramp has started its bundled mock (the run begins right after). */
export const mockStarted = (pid: number): boolean => children(pid, 'dist/mock/main.js').length > 0;
