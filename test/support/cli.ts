// Runs the built CLI (bin/incident-load.js -> dist/) as a child process, as a user would.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
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

/** For `signal.when`: the ramp has started its bundled mock (the run begins after its warm-up and connections). */
export const mockStarted = (pid: number): boolean => children(pid, 'dist/mock/main.js').length > 0;

/**
 * For `signal.when`: the ramp's load has reached its bundled mock — the mock holds two or more established
 * TCP connections (the run opens its first ones just before its t0, after its warm-up; nothing connects
 * to the mock before). For a run whose start-up is slow on a busy machine (worker threads, each warming up).
 */
export const loadReachedMock = (pid: number): boolean => {
  const mock = children(pid, 'dist/mock/main.js')[0];
  return mock !== undefined && establishedConnections(mock) >= 2;
};

function establishedConnections(pid: number): number {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      readdirSync(`/proc/${pid}/fd`)
        .map((fd) => {
          try {
            return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
          } catch {
            return undefined;
          }
        })
        .filter((inode) => inode !== undefined),
    );
  } catch {
    return 0;
  }
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // st (4th field) 01 is ESTABLISHED; inode is the 10th.
      if (fields[3] === '01' && inodes.has(fields[9]!)) count++;
    }
  }
  return count;
}

/** For `signal.when`: the ramp has started its proxy (--via-proxy). */
export const proxyStarted = (pid: number): boolean => children(pid, 'dist/proxy/main.js').length > 0;

/** `incident-load mock …` running in the background, as a user starts it for segments run apart. */
export interface MockCli {
  url: string;
  controlUrl: string;
  tokenFile: string;
  /** Everything it printed so far (the three address lines, then a line per fault). */
  stdout(): string;
  /** SIGINT, then its exit. */
  stop(): Promise<CliResult>;
}

export function startMockCli(args: string[], timeoutMs = 15_000, env: Record<string, string> = {}): Promise<MockCli> {
  return startServerCli('mock', args, timeoutMs, env);
}

/** `incident-load proxy …` in the background: the same three lines as the mock's. */
export function startProxyCli(args: string[], timeoutMs = 15_000): Promise<MockCli> {
  return startServerCli('proxy', args, timeoutMs);
}

function startServerCli(command: 'mock' | 'proxy', args: string[], timeoutMs: number, env: Record<string, string> = {}): Promise<MockCli> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, command, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let started = false;
    const exited = new Promise<CliResult>((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const lines = stdout.split('\n');
      if (started || lines.length < 4) return;
      started = true;
      const field = (name: string): string =>
        lines
          .find((l) => l.startsWith(name))!
          .slice(name.length)
          .trim();
      resolve({
        url: field('traffic'),
        controlUrl: field('control'),
        tokenFile: field('token'),
        stdout: () => stdout,
        stop: () => {
          child.kill('SIGINT');
          return exited.finally(() => clearTimeout(killer));
        },
      });
    });
    setTimeout(() => {
      if (started) return;
      child.kill('SIGKILL');
      reject(new Error(`incident-load ${command} did not print its addresses in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    void exited.then((r) => !started && reject(new Error(`incident-load ${command} exited (${r.code ?? r.signal}): ${r.stderr}`)));
  });
}
