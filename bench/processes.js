// Every process the bench starts goes through here, so that none outlives it: each child leads its own
// process group (nginx workers, the mock's own child and taskset's exec all stay inside it), and the
// whole group is signalled by its id on a normal end, on Ctrl-C, on SIGTERM and on an uncaught error.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const live = new Set();
const cleanups = new Set();
let closing = false;

/** Something to undo at the end however the bench ends (a temporary directory); runs once. */
export function onCleanup(fn) {
  cleanups.add(fn);
  return () => {
    if (cleanups.delete(fn)) fn();
  };
}

function runCleanups() {
  for (const fn of cleanups) {
    try {
      fn();
    } catch {
      // best effort
    }
  }
  cleanups.clear();
}

/**
 * CPU time (ms) of every child this process has reaped so far (cutime + cstime): around a run of one
 * child, the difference is exactly that child's CPU, whatever else the machine is doing.
 */
export function reapedChildrenCpuMs() {
  try {
    const text = readFileSync('/proc/self/stat', 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[13]) + Number(rest[14])) * 10; // clock ticks of 10 ms (USER_HZ 100)
  } catch {
    return undefined;
  }
}

/** CPU time (ms) used so far by the live processes of one process group (a target and its workers). */
export function groupCpuMs(pgid) {
  let ticks = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) === pgid) ticks += Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks * 10;
}

/** Process group ids of the processes started here that are still running. */
export function liveGroups() {
  return new Set([...live].map((entry) => entry.pid));
}

/** True once the bench is stopping (Ctrl-C, SIGTERM, an uncaught error): start nothing new. */
export function isClosing() {
  return closing;
}

/**
 * Starts `command args` in its own process group. `stdout` is collected unless `onStdoutLine` takes it.
 * Returns { child, pid, exited: Promise<{code, signal, stdout, stderr}> }.
 */
export function startProcess(command, args, { env, cwd, onStdoutLine } = {}) {
  if (closing) throw new Error('the bench is stopping');
  const child = spawn(command, args, {
    cwd,
    env: env ? { ...process.env, ...env } : process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const entry = { child, pid: child.pid, done: false };
  live.add(entry);
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    if (!onStdoutLine) {
      stdout += chunk;
      return;
    }
    partial += chunk;
    let nl;
    while ((nl = partial.indexOf('\n')) >= 0) {
      onStdoutLine(partial.slice(0, nl));
      partial = partial.slice(nl + 1);
    }
  });
  // Keep only the tail of stderr: enough to explain a failure, bounded for long runs.
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8_000);
  });
  entry.exited = new Promise((resolve, reject) => {
    child.on('error', (err) => {
      entry.done = true;
      live.delete(entry);
      reject(new Error(`could not start ${command}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      entry.done = true;
      live.delete(entry);
      // The leader is gone; make sure nothing it started is left in its group.
      signalGroup(entry.pid, 'SIGKILL');
      resolve({ code, signal, stdout, stderr });
    });
  });
  return entry;
}

/** Runs a command to completion (killed after `timeoutMs`), resolving with its exit and output. */
export async function runProcess(command, args, { env, cwd, timeoutMs = 600_000 } = {}) {
  const entry = startProcess(command, args, { env, cwd });
  const timer = setTimeout(() => signalGroup(entry.pid, 'SIGKILL'), timeoutMs);
  try {
    return { ...(await entry.exited), pid: entry.pid };
  } finally {
    clearTimeout(timer);
  }
}

/** SIGTERM the group, then SIGKILL what is left after `graceMs`. */
export async function stopProcess(entry, graceMs = 2_000) {
  if (entry.done) return;
  signalGroup(entry.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(entry.pid, 'SIGKILL'), graceMs);
  try {
    await entry.exited.catch(() => {});
  } finally {
    clearTimeout(timer);
  }
}

export async function stopAll() {
  await Promise.all([...live].map((entry) => stopProcess(entry)));
  runCleanups();
}

function signalGroup(pid, signal) {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Last-resort cleanup that works inside an 'exit' handler (synchronous). */
function killAllNow() {
  for (const entry of live) signalGroup(entry.pid, 'SIGKILL');
  runCleanups();
}

let installed = false;

/** Ctrl-C, SIGTERM, an uncaught error or a plain exit: no child is left behind. */
export function installCleanup() {
  if (installed) return;
  installed = true;
  process.on('exit', killAllNow);
  const stopWith = (code) => {
    closing = true;
    void stopAll().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => {
    process.stderr.write('\nbench: SIGINT: stopping every process it started\n');
    stopWith(130);
  });
  process.once('SIGTERM', () => {
    process.stderr.write('\nbench: SIGTERM: stopping every process it started\n');
    stopWith(143);
  });
  process.on('uncaughtException', (err) => {
    process.stderr.write(`bench: ${err?.stack ?? err}\n`);
    stopWith(1);
  });
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`bench: ${err?.stack ?? err}\n`);
    stopWith(1);
  });
}
