// Other work on the machine skews every figure here, so the bench measures it: CPU time used by
// processes that are not the bench's own (total busy time from /proc/stat minus the bench, its reaped
// children, and every live process in the process groups it started), sampled twice a second. Before
// each measured run it waits, within limits, for that background load to settle, and results.md gives
// the background load seen during each scenario. Linux only; elsewhere it measures nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { liveGroups } from './processes.js';

const SAMPLE_MS = 500;
/** Background load (in cores) under which the machine counts as quiet. */
const QUIET_CORES = 0.15;
const QUIET_FOR_MS = 2_000;
const WAIT_AT_MOST_MS = 20_000;
/** Over the whole bench, so a busy machine cannot stretch it without end. */
let waitBudgetMs = 300_000;

let timer;
let previous;
const samples = []; // { t, cores }
let waitsThatTimedOut = 0;
let totalWaitMs = 0;

/** `budgetMs`: the most the bench may spend waiting for quiet, in all. */
export function startBackgroundMonitor({ budgetMs } = {}) {
  if (budgetMs !== undefined) waitBudgetMs = budgetMs;
  previous = snapshot();
  if (!previous) return;
  timer = setInterval(() => {
    const current = snapshot();
    if (!current) return;
    const seconds = (current.t - previous.t) / 1000;
    const foreignTicks = current.busy - previous.busy - (current.ours - previous.ours);
    samples.push({ t: current.t, cores: Math.max(0, foreignTicks / current.hz / seconds) });
    if (samples.length > 20_000) samples.splice(0, 10_000);
    previous = current;
  }, SAMPLE_MS);
  timer.unref();
}

export function stopBackgroundMonitor() {
  clearInterval(timer);
  timer = undefined;
}

/** Mean and max background load (cores) between two performance.now() times. */
export function backgroundBetween(from, to) {
  const inside = samples.filter((s) => s.t > from && s.t <= to + SAMPLE_MS);
  if (inside.length === 0) return undefined;
  return { mean: inside.reduce((a, s) => a + s.cores, 0) / inside.length, max: Math.max(...inside.map((s) => s.cores)) };
}

export function waitSummary() {
  return { totalWaitMs, waitsThatTimedOut };
}

/**
 * Before a measured run: wait until the background load has stayed under QUIET_CORES for QUIET_FOR_MS,
 * for at most WAIT_AT_MOST_MS. After three waits in a row that timed out, or once the whole budget is
 * spent, stop waiting (the machine is simply busy; results.md shows how busy).
 */
export async function awaitQuiet() {
  if (!timer || waitsThatTimedOut >= 3 || totalWaitMs >= waitBudgetMs) return;
  const started = performance.now();
  for (;;) {
    const now = performance.now();
    const recent = samples.filter((s) => s.t > now - QUIET_FOR_MS);
    if (recent.length >= QUIET_FOR_MS / SAMPLE_MS - 1 && recent.every((s) => s.cores < QUIET_CORES)) {
      waitsThatTimedOut = 0;
      break;
    }
    if (now - started > WAIT_AT_MOST_MS || totalWaitMs + (now - started) >= waitBudgetMs) {
      waitsThatTimedOut++;
      if (waitsThatTimedOut === 3) process.stderr.write('bench: the machine stays busy with other work; no longer waiting for it\n');
      break;
    }
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
  }
  totalWaitMs += performance.now() - started;
}

function snapshot() {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
    const busy = cpu.slice(0, 8).reduce((a, b) => a + b, 0) - cpu[3] - cpu[4];
    const groups = liveGroups();
    let ours = ticksOf('self');
    if (groups.size) {
      for (const name of readdirSync('/proc')) {
        if (!/^\d+$/.test(name)) continue;
        const stat = readStat(name);
        if (stat && groups.has(stat.pgrp)) ours += stat.ticks;
      }
    }
    return { t: performance.now(), busy, ours, hz: 100 };
  } catch {
    return undefined;
  }
}

function ticksOf(pid) {
  return readStat(pid)?.ticks ?? 0;
}

/** utime + stime + cutime + cstime (clock ticks) and the process group of /proc/<pid>/stat. */
function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state): field n is rest[n - 3].
    return { pgrp: Number(rest[2]), ticks: Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]) };
  } catch {
    return undefined;
  }
}
