// Processes seen from a test, through /proc (Linux): whose children they are, whether they live.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Pids of live processes whose parent is `ppid` and whose command line mentions `needle`. */
export function children(ppid: number, needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === ppid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `check` every 50 ms until it holds or `timeoutMs` has passed; returns whether it held. */
export async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/** The bundled mock that a `ramp` process started (its one child running dist/mock/main.js). */
export async function mockChildOf(ramp: number, timeoutMs = 10_000): Promise<number> {
  let found: number[] = [];
  if (!(await until(() => (found = children(ramp, 'dist/mock/main.js')).length === 1, timeoutMs))) {
    throw new Error(`ramp ${ramp} started no mock within ${timeoutMs} ms`);
  }
  return found[0]!;
}

/**
 * TCP connections the process holds open, by state: `listening` sockets and `established` ones. From
 * /proc/<pid>/fd (its sockets' inodes) and /proc/<pid>/net/tcp{,6} (every socket's state, 0A = LISTEN,
 * 01 = ESTABLISHED).
 */
export function tcpOf(pid: number): { listening: number; established: number } {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return { listening: 0, established: 0 };
  }
  let listening = 0;
  let established = 0;
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || !inodes.has(fields[9]!)) continue;
      if (fields[3] === '0A') listening++;
      else if (fields[3] === '01') established++;
    }
  }
  return { listening, established };
}
