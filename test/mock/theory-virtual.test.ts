// Queueing theory through the product's whole path in virtual time: a profile, its plan, the client's
// Poisson schedule, pool, timeouts and retries, the in-process transport, the mock's model, the recorder's
// histograms and the result a user reads — startVirtualRun, as `ramp --virtual` runs it. Virtual time is
// exact, so the samples can be hundreds of thousands of requests and the tolerances a few standard
// deviations of the estimate at that size (each measured over seeds, as stated), with no allowance for a
// host: the same seed gives the same figures on any machine, under any load.
//
// These carry the direct-against-theory checks that needed a quiet machine over HTTP
// (test/mock/fidelity.test.ts keeps its task-by-task checks of what the launched mock did, and
// test/mock/priority-http.test.ts the priority path through HTTP). The model alone, without the client,
// is checked against the same formulas in model/queueing-theory.test.ts.
import { describe, expect, it } from 'vitest';
import { decodeHistogram, recordedValues } from '../../src/core/latency-histogram.js';
import { parseProfile } from '../../src/profile/load.js';
import type { PhaseResult, RunResult } from '../../src/result/run-result.js';
import { buildRunPlan } from '../../src/run/plan.js';
import { startVirtualRun } from '../../src/run/virtual-run.js';
import { erlangB, erlangC, meanWaitInServiceTimes, mmcdServed, mmcResponseCdf } from './support/erlang.js';

/** A profile (YAML lines) run in virtual time, as `ramp --virtual` runs it. */
async function virtual(lines: string[]): Promise<RunResult> {
  const plan = buildRunPlan(parseProfile(lines.join('\n'), 'theory.yaml', 'theory'));
  return startVirtualRun(plan).result;
}

function phase(result: RunResult, name: string): PhaseResult {
  const found = result.phases.find((p) => p.name === name);
  if (!found) throw new Error(`no phase ${name}`);
  return found;
}

/** The largest distance between a phase's distribution of successes' latency and `cdf` (ms), over its buckets. */
function ksDistance(p: PhaseResult, cdf: (ms: number) => number): number {
  const buckets = recordedValues(decodeHistogram(p.histograms.ok));
  const n = buckets.reduce((s, [, count]) => s + count, 0);
  let below = 0;
  let d = 0;
  for (const [us, count] of buckets) {
    // Each bucket's values lie within 0.1 % below its highest equivalent value `us`.
    const before = below / n;
    below += count;
    d = Math.max(d, Math.abs(cdf((us / 1000) * 0.999) - before), Math.abs(cdf(us / 1000) - below / n));
  }
  return d;
}

// An open-model client that never gets in the way: Poisson arrivals, a pool larger than anything queued,
// no retries, a timeout far beyond any wait. The round trip is the default 0.2 ms of incident time.
const CLIENT = ['client: { timeout: 1h, connections: 100000, maxInFlight: 1000000, arrivals: poisson }'];

describe('theory through the product path, in virtual time', () => {
  it('M/M/16 at a = 12 Erlangs: mean response time and the response-time distribution of Erlang C', async () => {
    // 86 000 requests over 2 h (7 200 mean service times). Over 8 seeds at this size: the mean response
    // minus theory had mean -5.5 ms and sd 4.4 ms (the queue's waits are strongly correlated); the KS
    // distance to the M/M/16 response-time distribution mean 0.0049, sd 0.0020; the share of windows with
    // all 16 busy minus C mean -0.018, sd 0.022 (240 windows); the mean busy minus a, sd 0.17. Each
    // tolerance is the bias plus about 4 sd.
    const c = 16;
    const a = 12;
    const result = await virtual([
      'name: erlang-c',
      'seed: 3',
      ...CLIENT,
      'mock: { fleet: { workers: 16, serviceTime: exp:1s } }',
      'phases:',
      '  - { name: warmup, duration: 1m, rate: 12/s }',
      '  - { name: steady, duration: 2h, rate: 12/s }',
    ]);
    const steady = phase(result, 'steady');
    expect(steady.ok).toBe(steady.sent);
    expect(steady.sent).toBe(steady.offered);
    // W = S (1 + C / (c - a)) = 1 051.2 ms (C(16, 12) = 0.2046), plus the 0.2 ms round trip.
    const w = 1000 * (1 + meanWaitInServiceTimes(c, a)) + 0.2;
    const context = `n ${steady.ok}, mean ${steady.okLatencyMs!.mean.toFixed(1)} ms vs ${w.toFixed(1)}, C ${erlangC(c, a).toFixed(4)}`;
    expect(Math.abs(steady.okLatencyMs!.mean - w), context).toBeLessThan(TOLERANCE.erlangCMeanMs);
    // The whole distribution: with probability C the response is Exp(c - a) + Exp(1), else Exp(1).
    const d = ksDistance(steady, (ms) => mmcResponseCdf(c, a, (ms - 0.2) / 1000));
    expect(d, context).toBeLessThan(TOLERANCE.erlangCKs);
    // Told apart: a queue one Erlang busier (C = 0.33), and service with no queue at all (Exp(1 s) alone).
    expect(ksDistance(steady, (ms) => mmcResponseCdf(c, a + 1, (ms - 0.2) / 1000))).toBeGreaterThan(TOLERANCE.erlangCKs);
    expect(ksDistance(steady, (ms) => 1 - Math.exp(-(ms - 0.2) / 1000))).toBeGreaterThan(TOLERANCE.erlangCKs);
    // P(wait) = P(all 16 busy), by PASTA: the time-average of the state the run sampled at its windows' ends.
    const windows = result.timeline.filter((win) => win.t >= 60_000 && win.mock);
    const allBusy = windows.filter((win) => win.mock!.busy === c).length / windows.length;
    const meanBusy = windows.reduce((s, win) => s + win.mock!.busy, 0) / windows.length;
    expect(Math.abs(allBusy - erlangC(c, a)), `${allBusy} of ${windows.length} windows`).toBeLessThan(TOLERANCE.erlangCWindows);
    expect(Math.abs(meanBusy - a), `mean busy ${meanBusy}`).toBeLessThan(TOLERANCE.meanBusy);
  });

  it('a loss system (admission.queueLimit 0), 8 servers at 8 Erlangs: the Erlang B share refused', async () => {
    // 86 000 requests over 3 h. Over 8 seeds at this size the refused share minus B had mean -0.0017 and
    // sd 0.0013; the successes' mean latency (the service time and the round trip) mean 996.8 ms, sd 2.9.
    const result = await virtual([
      'name: erlang-b',
      'seed: 5',
      ...CLIENT,
      'mock: { admission: { queueLimit: 0 }, fleet: { workers: 8, serviceTime: exp:1s } }',
      'phases:',
      '  - { name: steady, duration: 3h, rate: 8/s }',
    ]);
    const steady = phase(result, 'steady');
    const refused = (steady.statuses['429'] ?? 0) / steady.sent;
    expect((steady.statuses['429'] ?? 0) + steady.ok).toBe(steady.sent);
    expect(Math.abs(refused - erlangB(8, 8)), `refused ${refused.toFixed(4)} of ${steady.sent}, B ${erlangB(8, 8).toFixed(4)}`).toBeLessThan(TOLERANCE.erlangB);
    // Who is served never waits: the successes' latency is the service time alone, Exp(1 s), mean 1 s.
    expect(Math.abs(steady.okLatencyMs!.mean - 1000.2), `mean ${steady.okLatencyMs!.mean}`).toBeLessThan(TOLERANCE.serviceMeanMs);
  });

  it('M/M/c+D, the queue timeout as a deadline: the share served is what the patience allows', async () => {
    // 8 workers x exp:1s at 8 req/s (a = c: critically loaded), and a task that waited 1 s gets a 504. The
    // monitor sweeps every 50 ms, so a task's patience is 1 s plus its lag to the next sweep, 0-50 ms: the
    // share served lies between the formula at D = 1 s and at D = 1.05 s (0.9183-0.9209), far from Erlang
    // B's 0.764 (no waiting) and from the 1.0 of a queue that never gives up. 86 000 requests over 3 h; over
    // 8 seeds at this size (with 10 ms sweeps) the share served had mean 0.9201 and sd 0.0019 (a critically loaded queue's
    // waits are correlated over long stretches).
    const result = await virtual([
      'name: mmc-d',
      'seed: 7',
      ...CLIENT,
      'mock: { queue: { timeout: 1s, monitorInterval: 50ms }, fleet: { workers: 8, serviceTime: exp:1s } }',
      'phases:',
      '  - { name: warmup, duration: 1m, rate: 8/s }',
      '  - { name: steady, duration: 3h, rate: 8/s }',
    ]);
    const steady = phase(result, 'steady');
    expect((steady.statuses['504'] ?? 0) + steady.ok).toBe(steady.sent);
    const served = steady.ok / steady.sent;
    const [low, high] = [mmcdServed(8, 8, 1), mmcdServed(8, 8, 1.05)];
    const context = `served ${served.toFixed(4)} of ${steady.sent}, theory ${low.toFixed(4)}-${high.toFixed(4)}`;
    expect(served, context).toBeGreaterThan(low - TOLERANCE.mmcd);
    expect(served, context).toBeLessThan(high + TOLERANCE.mmcd);
  });

  it('priority at twice the capacity: the high class always gets through, the rest get the capacity it leaves', async () => {
    // As test/mock/priority-http.test.ts, in virtual time and 40 times longer (48 000 requests): 8 workers
    // x constant 1 s, 16 req/s, a fifth marked x-priority: high, deadline-aware admission with a 4 s
    // timeout. Over 8 seeds at this size: every high request succeeded; normal success minus the capacity
    // left had mean 0.00015 and sd 0.00016; that expectation minus 0.375 (the Poisson counts of the mix)
    // sd 0.0015.
    const result = await virtual([
      'name: priority',
      'seed: 11',
      ...CLIENT,
      'request:',
      '  mix:',
      '    - { name: high, share: 0.2, headers: { x-priority: high } }',
      '    - { name: normal, share: 0.8 }',
      'mock:',
      '  priority: { header: x-priority, reserved: 0 }',
      '  admission: { deadlineAware: true }',
      '  queue: { timeout: 4s }',
      '  fleet: { workers: 8, serviceTime: 1s }',
      'phases:',
      '  - { name: fill, duration: 20s, rate: 16/s }',
      '  - { name: steady, duration: 50m, rate: 16/s }',
    ]);
    const steady = phase(result, 'steady');
    const [high, normal] = steady.mix!;
    expect(high!.name).toBe('high');
    expect(high!.successRatio).toBe(1);
    // Normal traffic gets what the high class leaves of the 8 workers: (c - λ_high S) / (λ_normal S), from
    // the rates that arrived (3.2/s and 12.8/s offered: 0.375).
    const seconds = steady.durationMs / 1000;
    const expected = (8 - high!.sent / seconds) / (normal!.sent / seconds);
    const context = `normal ${normal!.successRatio.toFixed(4)} vs ${expected.toFixed(4)}`;
    expect(Math.abs(expected - 0.375), context).toBeLessThan(TOLERANCE.priorityOffered);
    expect(Math.abs(normal!.successRatio - expected), context).toBeLessThan(TOLERANCE.priority);
    expect(normal!.statuses['429'] ?? 0).toBeGreaterThan(0); // shed at admission, not only timed out
  });

  it('the retry storm is metastable: its trigger is needed to start it, its retries alone sustain it', async () => {
    const storm = (phases: string[]): Promise<RunResult> =>
      virtual([
        'name: storm',
        'seed: 3',
        'client: { timeout: 5s, connections: 4096, maxInFlight: 20000, arrivals: poisson, retries: { max: 3, backoff: none, respectRetryAfter: false } }',
        'mock: { fleet: { workers: 20, serviceTime: exp:1s }, queue: { order: fifo, timeout: 1m, monitorInterval: 1s } }',
        'phases:',
        ...phases,
      ]);
    // Without the spike, M/M/20 at 12 Erlangs: Erlang C(20, 12) = 0.0098 of arrivals wait at all. A few
    // answers still come after the 5 s timeout, almost all for a long service (e^-5 = 0.0067 of them): P(T > 5 s)
    // = 0.0068 of first attempts are retried, and the retry succeeds. Over 4 seeds the share retried had sd
    // 0.001 (21 600 requests).
    const calm = await storm(['  - { name: steady, duration: 30m, rate: 12/s }']);
    const steady = phase(calm, 'steady');
    expect(steady.ok).toBe(steady.sent);
    expect(Math.abs(steady.retries / steady.sent - (1 - mmcResponseCdf(20, 12, 5))), `${steady.retries} retries`).toBeLessThan(TOLERANCE.calmRetries);
    // With it, the same traffic afterwards meets a queue it cannot drain: every request is sent four times
    // (48 attempts/s against a capacity of 20), every attempt waits past its client's 5 s.
    const stormy = await storm([
      '  - { name: steady, duration: 2m, rate: 12/s }',
      '  - { name: spike, duration: 30s, rate: 40/s }',
      '  - { name: aftermath, duration: 3m, rate: 12/s }',
      '  - { name: later, duration: 30m, rate: 12/s }',
    ]);
    const later = phase(stormy, 'later');
    expect(later.ok).toBe(0);
    expect(later.attempts).toBe(4 * later.sent);
    // Little's law on the mock's FIFO queue: every attempt waits about a minute (its queue timeout): the 20/s
    // served reach a worker just before, the other 28/s are swept by the next 1 s sweep, half a second
    // later on average. L = 48 x 60 + 28 x 0.5 = 2 894. Over 4 seeds the mean queued (from 10 min on)
    // was 2 910, sd 14.
    const queued = stormy.timeline.filter((w) => w.t >= 10 * 60_000 && w.mock).map((w) => w.mock!.queued);
    const meanQueued = queued.reduce((s, q) => s + q, 0) / queued.length;
    expect(Math.abs(meanQueued - 2894), `mean queued ${meanQueued.toFixed(0)}`).toBeLessThan(TOLERANCE.stormQueued);
  });
});

/** Tolerances: each the bias seen over seeds plus about 4 sd of the estimate at the test's size (see each test). */
const TOLERANCE = {
  erlangCMeanMs: 20,
  erlangCKs: 0.013,
  erlangCWindows: 0.09,
  meanBusy: 0.7,
  erlangB: 0.007,
  serviceMeanMs: 12,
  mmcd: 0.008,
  priorityOffered: 0.006,
  priority: 0.001,
  calmRetries: 0.003,
  stormQueued: 60,
};
