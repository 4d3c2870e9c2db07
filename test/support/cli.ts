// Runs the built CLI (bin/incident-load.js -> dist/) as a child process, as a user would.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/incident-load.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Send this signal after `afterMs` (once stderr shows progress if waitFor is given). */
  signal?: { name: NodeJS.Signals; afterMs: number };
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
    const signaller = options.signal ? setTimeout(() => child.kill(options.signal!.name), options.signal.afterMs) : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      if (signaller) clearTimeout(signaller);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
