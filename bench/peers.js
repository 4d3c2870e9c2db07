// The load generators, each run as a child process on the generator CPU, each result turned into the
// same shape so scenarios can put them side by side:
//   { tool, rps, ok, errors, latency: {p50, p99, mean} (wall ms), sendLag?: {p50, p99}, raw }
// incident-load is run exactly as users run it: the built CLI with --json.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awaitQuiet } from './background.js';
import { GENERATOR_CPU, onCpu } from './placement.js';
import { onCleanup, reapedChildrenCpuMs, startProcess } from './processes.js';
import { watchPeakRss } from './rss.js';
import { CLI } from './targets.js';
import { pretendMissing, which } from './which.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);
let scratch;
let runs = 0;

/** A temporary directory for this bench's JSON results, made on first use and removed at the end. */
function scratchDir() {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), 'incident-load-bench-'));
    scratch = dir;
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  }
  return scratch;
}

/** Runs a generator process on the generator's core; returns its exit, CPU time and parsed stdout JSON. */
async function runMeasured(name, file, argv, cpu = GENERATOR_CPU) {
  const [cmd, args] = onCpu(cpu, process.execPath, [file, ...argv]);
  const cpuBefore = reapedChildrenCpuMs();
  const exit = await startProcess(cmd, args).exited;
  const cpuMs = reapedChildrenCpuMs() - cpuBefore;
  try {
    return { exit, cpuMs, json: JSON.parse(exit.stdout) };
  } catch {
    throw new Error(`${name} printed no JSON (exit ${exit.code}): ${exit.stderr.trim().slice(-300)}`);
  }
}

export const incidentLoad = {
  name: 'incident-load',
  available: () => existsSync(join(here, '..', 'dist', 'cli', 'main.js')),
  version: () => JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')).version,
  /**
   * `incident-load ramp --target url --phase ... --json file --quiet`, plus `extra` flags; figures from
   * the phase named `measure` (earlier phases being warm-up), or from the whole run. With
   * `cpuProfileDir` it runs under `node --cpu-prof`; `rss` samples its VmHWM and reads it again at exit.
   * `cpu` is where it runs (taskset's list: `0`, or `0,1` for a run with --workers 2); `cli` another build's
   * bin/incident-load.js (the baseline scenario's).
   */
  async run({
    url,
    phases,
    measure,
    connections,
    timeout = '5s',
    speed,
    seed = 1,
    extra = [],
    cpuProfileDir,
    rss = false,
    limitMs,
    cpu = GENERATOR_CPU,
    cli = CLI,
  }) {
    await awaitQuiet();
    const n = ++runs;
    const jsonFile = join(scratchDir(), `run-${n}.json`);
    const rssFile = join(scratchDir(), `run-${n}.rss`);
    const nodeFlags = [];
    if (cpuProfileDir) nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`);
    if (rss) nodeFlags.push('--import', join(here, 'rss-at-exit.js'));
    const argv = [
      ...nodeFlags,
      cli,
      'ramp',
      ...(url ? ['--target', url] : []),
      ...phases.flatMap((p) => ['--phase', p]),
      '-c',
      String(connections),
      '--timeout',
      timeout,
      '--seed',
      String(seed),
      ...(speed !== undefined ? ['--speed', String(speed)] : []),
      ...extra,
      '--json',
      jsonFile,
      '--quiet',
    ];
    const [cmd, args] = onCpu(cpu, process.execPath, argv);
    const cpuBefore = reapedChildrenCpuMs();
    const proc = startProcess(cmd, args, { env: rss ? { BENCH_RSS_FILE: rssFile } : undefined });
    const sampler = rss ? watchPeakRss(proc.pid) : undefined;
    const killer = limitMs ? setTimeout(() => process.kill(-proc.pid, 'SIGKILL'), limitMs) : undefined;
    const exit = await proc.exited;
    const cpuMs = reapedChildrenCpuMs() - cpuBefore;
    clearTimeout(killer);
    const sampled = sampler?.stop();
    if (!existsSync(jsonFile)) {
      throw new Error(
        `incident-load ${argv.slice(nodeFlags.length + 1).join(' ')} wrote no JSON (exit ${exit.code ?? exit.signal}): ${exit.stderr.trim().split('\n').slice(-4).join(' | ')}`,
      );
    }
    const json = JSON.parse(readFileSync(jsonFile, 'utf8'));
    // `measure` names the phase the figures come from (the others are warm-up); the whole run otherwise.
    const total = measure ? json.phases.find((p) => p.name === measure) : json.total;
    if (!total) throw new Error(`incident-load's JSON has no phase "${measure}"`);
    const result = {
      tool: 'incident-load',
      exitCode: exit.code,
      cpuMs,
      completed: total.ok + total.failed,
      rps: total.rps.achieved,
      offeredRps: total.rps.offered,
      ok: total.ok,
      errors: total.failed + total.dropped,
      latency: pick(total.latencyMs),
      service: pick(total.serviceMs),
      sendLag: pick(total.sendLagMs),
      raw: json,
    };
    if (rss) {
      result.rss = {
        sampledPeakKb: sampled?.peakHwmKb,
        atExitKb: existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : undefined,
      };
    }
    return result;
  },
};

export const autocannon = {
  name: 'autocannon',
  available: () => Boolean(resolveAutocannon()),
  version: () => JSON.parse(readFileSync(join(resolveAutocannon(), '..', 'package.json'), 'utf8')).version,
  /**
   * Closed loop with `connections`, or `-R rate` (autocannon's overall rate) when `rate` is given; with
   * `workers`, autocannon's own worker threads (`-w`), on `cpu` (taskset's list).
   */
  async run({ url, connections, seconds, rate, warmup = false, workers, cpu = GENERATOR_CPU }) {
    if (!warmup) await awaitQuiet();
    const argv = ['-c', String(connections), '-d', String(seconds), '--json'];
    if (rate) argv.push('-R', String(rate));
    if (workers) argv.push('-w', String(workers));
    argv.push(url);
    const { cpuMs, json } = await runMeasured('autocannon', resolveAutocannon(), argv, cpu);
    return {
      tool: 'autocannon',
      cpuMs,
      completed: json.requests.total,
      rps: json.requests.total / json.duration,
      ok: json['2xx'],
      errors: json.errors + json.timeouts + json.non2xx,
      // autocannon's latency histogram has a resolution of 1 ms (whole milliseconds).
      latency: { p50: json.latency.p50, p99: json.latency.p99, mean: json.latency.mean },
      raw: json,
    };
  },
};

export const wrk = {
  name: 'wrk',
  available: () => Boolean(which('wrk')),
  version: async () => {
    const r = await startProcess(which('wrk'), ['-v']).exited;
    return /wrk\s+(\S+)/.exec(r.stdout + r.stderr)?.[1];
  },
  /** Closed loop only (wrk has no rate option): `threads` threads, `connections` connections. */
  async run({ url, connections, seconds, threads = 1, cpu = GENERATOR_CPU }) {
    await awaitQuiet();
    const argv = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '-s', join(here, 'wrk-report.lua'), url];
    const [cmd, args] = onCpu(cpu, which('wrk'), argv);
    const cpuBefore = reapedChildrenCpuMs();
    const exit = await startProcess(cmd, args).exited;
    const cpuMs = reapedChildrenCpuMs() - cpuBefore;
    const line = exit.stdout.split('\n').find((l) => l.startsWith('{"requests"'));
    if (!line) throw new Error(`wrk printed no summary (exit ${exit.code}): ${(exit.stderr + exit.stdout).trim().slice(-300)}`);
    const json = JSON.parse(line);
    const e = json.errors;
    const us = (v) => v / 1000;
    return {
      tool: 'wrk',
      cpuMs,
      completed: json.requests,
      rps: json.requests / (json.durationUs / 1e6),
      ok: json.requests - e.status,
      errors: e.connect + e.read + e.write + e.status + e.timeout,
      latency: { p50: us(json.latencyUs.p50), p99: us(json.latencyUs.p99), mean: us(json.latencyUs.mean) },
      raw: json,
    };
  },
};

export const undiciFloor = {
  name: 'undici alone',
  /** Closed loop with `connections`, no recording: see undici-floor.js. */
  async run({ url, connections, seconds }) {
    await awaitQuiet();
    const { cpuMs, json } = await runMeasured('undici-floor', join(here, 'undici-floor.js'), [url, String(connections), String(seconds)]);
    return { tool: 'undici alone', cpuMs, completed: json.requests, rps: json.requests / json.seconds, ok: json.requests, errors: json.errors, raw: json };
  },
};

function resolveAutocannon() {
  if (pretendMissing('autocannon')) return undefined;
  try {
    return require.resolve('autocannon/autocannon.js');
  } catch {
    return undefined;
  }
}

function pick(summary) {
  if (!summary) return undefined;
  return { p50: summary.p50, p90: summary.p90, p99: summary.p99, mean: summary.mean, max: summary.max };
}
