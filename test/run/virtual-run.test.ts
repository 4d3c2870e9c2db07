// A run in virtual time, through the product's path (a profile, buildRunPlan, startVirtualRun): the same
// result from the same seed; the closed model against Little's law; the client's pool as a queue of its
// own; the round trip added exactly; faults at their incident times, reverted by `for:`, refused with the
// mock's reason, or skipped; a round trip of 0 refused; a long run interrupted promptly, its progress
// advancing. No socket, no wall time: every bound is exact or statistical, from the run's own counts.
import { describe, expect, it } from 'vitest';
import { SKIPPED_FAULT_ERROR } from '../../src/core/fault-outcome.js';
import { loadProfile } from '../../src/profile/load.js';
import type { RunResult } from '../../src/result/run-result.js';
import { buildRunPlan } from '../../src/run/plan.js';
import { startVirtualRun } from '../../src/run/virtual-run.js';
import { DEFAULT_RTT_MS } from '../../src/run/virtual-rtt.js';
import { steadyPhase, virtualPlan, virtualRun } from '../support/virtual-run.js';

/** The result as JSON, bar what differs from run to run by design: when it started, how long it took. */
const comparable = (r: RunResult): string => JSON.stringify({ ...r, startedAt: undefined, wallMs: undefined });

describe('a virtual run is deterministic', () => {
  it('the quickstart twice gives the same result, bar startedAt and wallMs; another seed another', async () => {
    const plan = buildRunPlan(loadProfile('quickstart'), {});
    const [a, b, other] = await Promise.all([
      startVirtualRun(plan).result,
      startVirtualRun(plan).result,
      startVirtualRun(buildRunPlan(loadProfile('quickstart'), { seed: 2 })).result,
    ]);
    expect(a.total.offered).toBeGreaterThan(3_000);
    expect(a.profile).toMatchObject({ clock: 'virtual', rttMs: DEFAULT_RTT_MS, target: 'mock (in process)' });
    expect(comparable(b)).toBe(comparable(a));
    expect(comparable(other)).not.toBe(comparable(a));
  });
});

describe("the closed model: Little's law", () => {
  // 8 workers of exponential 50 ms; users send back to back. N users in the loop: throughput × mean latency
  // = N. Below 8 users every request is served at once (mean 50 ms + the round trip); above, the 8
  // workers are the bottleneck (160/s) and the rest wait. Tolerance: 4 standard errors of a mean of n
  // exponential service times (1/√n relative).
  const closed = (vus: number, connections?: number) =>
    virtualRun({
      mock: { fleet: { workers: 8, serviceTime: 'exp:50ms' } },
      phases: [{ name: 'loop', duration: '60s', vus }],
      ...(connections ? { client: { connections } } : {}),
    });

  const check = (r: RunResult, vus: number, throughput: number) => {
    const phase = r.phases[0]!;
    const n = phase.ok;
    const tolerance = 4 / Math.sqrt(n);
    expect(phase.failed + phase.unfinished).toBe(0);
    const x = phase.rps.achieved;
    const meanMs = phase.latencyMs!.mean;
    expect(Math.abs(x / throughput - 1), `${x}/s against ${throughput}/s`).toBeLessThan(tolerance);
    // Little's law itself holds to the edges of the run (the last N requests finish after it).
    expect(Math.abs((x * meanMs) / 1000 / vus - 1), `${x}/s × ${meanMs} ms against ${vus} users`).toBeLessThan(0.01);
    return meanMs;
  };

  it('4 users: about 80/s at 50 ms; 16 users: 160/s at 100 ms', async () => {
    const [four, sixteen] = await Promise.all([closed(4), closed(16)]);
    const rtt = DEFAULT_RTT_MS;
    expect(check(four, 4, 4 / ((50 + rtt) / 1000))).toBeCloseTo(50 + rtt, -1);
    const mean = check(sixteen, 16, 8 / (50 / 1000));
    expect(Math.abs(mean / 100 - 1)).toBeLessThan(4 / Math.sqrt(sixteen.phases[0]!.ok));
  });

  it('16 users on 4 connections: each lane carries one request at a time, so only 4 of the 8 workers are ever busy', async () => {
    const r = await closed(16, 4);
    // 4 lanes of 50 ms + the round trip each: 79.7/s (not the fleet's 160/s); a user waits for its lane, 201 ms.
    const mean = check(r, 16, 4 / ((50 + DEFAULT_RTT_MS) / 1000));
    expect(Math.abs(mean / (4 * (50 + DEFAULT_RTT_MS)) - 1)).toBeLessThan(4 / Math.sqrt(r.phases[0]!.ok));
  });
});

describe("the client's connections and the round trip", () => {
  // A constant 10 ms at the service and 8 workers: the service itself never queues at these rates.
  const constant = (phases: unknown[], connections: number) => ({
    mock: { fleet: { workers: 8, serviceTime: '10ms' } },
    phases,
    client: { connections, arrivals: 'uniform' },
  });

  it('adds exactly the round trip to a constant service time', async () => {
    for (const rttMs of [DEFAULT_RTT_MS, 5]) {
      const r = await virtualRun(constant([steadyPhase('calm', 5, 20)], 64), {}, rttMs === DEFAULT_RTT_MS ? {} : { rttMs });
      expect(r.total.ok).toBe(100);
      // The slowest request exactly (max is exact to the µs), and every one within the histogram's 0.1%.
      expect(r.total.latencyMs!.max).toBe(10 + rttMs);
      expect(r.total.latencyMs!.min).toBeCloseTo(10 + rttMs, 1);
      expect(r.profile.rttMs).toBe(rttMs);
    }
  });

  it('an answer due at the very instant of the deadline is a timeout: the model answers first, then the client sees its deadline', async () => {
    // 10 ms at the service and a round trip of 1 ms: every answer arrives 11 ms after it was sent, exactly
    // the client's timeout; with half the round trip it arrives in time.
    const profile = { ...constant([steadyPhase('calm', 1, 20)], 64), client: { connections: 64, arrivals: 'uniform', timeout: '11ms' } };
    const [late, inTime] = await Promise.all([virtualRun(profile, {}, { rttMs: 1 }), virtualRun(profile, {}, { rttMs: 0.5 })]);
    expect(late.total.errors).toEqual({ timeout: 20 });
    expect(late.total.latencyMs!.max).toBe(11);
    expect(inTime.total.ok).toBe(20);
    expect(inTime.total.latencyMs!.max).toBe(10.5);
  });

  it('one connection and arrivals faster than it can carry: a client queue growing by exactly the difference', async () => {
    // 200/s evenly (5 ms apart) over one connection that takes 10.2 ms a request: request k waits for the
    // k before it, and its latency is 10.2 + k × 5.2 ms exactly; through 64 connections, 10.2 ms each.
    const [one, many] = await Promise.all([virtualRun(constant([steadyPhase('fast', 1, 200)], 1)), virtualRun(constant([steadyPhase('fast', 1, 200)], 64))]);
    const n = one.total.ok;
    expect(n).toBeGreaterThanOrEqual(199);
    expect(one.total.latencyMs!.max).toBeCloseTo(10.2 + (n - 1) * 5.2, 6);
    expect(one.total.latencyMs!.mean).toBeCloseTo(10.2 + ((n - 1) / 2) * 5.2, -1);
    expect(many.total.latencyMs!.max).toBe(10.2);
  });

  it('one connection and Poisson arrivals: an M/D/1 queue at the client (Pollaczek–Khinchine)', async () => {
    // λ = 50/s, D = 10.2 ms (service and round trip on the connection): ρ = 0.51, mean wait ρD / 2(1 − ρ).
    const phases = [steadyPhase('poisson', 120, 50)];
    const r = await virtualRun({ ...constant(phases, 1), client: { connections: 1, arrivals: 'poisson' } });
    const d = 10.2;
    const rho = (50 * d) / 1000;
    const expected = d + (rho * d) / (2 * (1 - rho));
    const mean = r.total.latencyMs!.mean;
    expect(Math.abs(mean / expected - 1), `mean ${mean} ms against ${expected.toFixed(2)} ms`).toBeLessThan(MD1_TOLERANCE);
  });
});

/** Relative: 4 × the spread (1.7%) of this run's mean latency over seeds 1–20, measured. */
const MD1_TOLERANCE = 0.07;

describe('faults in virtual time', () => {
  it("applies the quickstart's shrink-fleet at 15 s: the result lists it applied, the samples show the fleet halve", async () => {
    const r = await startVirtualRun(buildRunPlan(loadProfile('quickstart'), {})).result;
    expect(r.faults).toEqual([{ at: 15_000, fault: 'shrink-fleet', params: { workers: 4 } }]);
    const ends = r.timeline.map((w) => ({ end: w.t + w.durationMs, workers: w.mock?.workers }));
    expect(ends.every((w) => w.workers !== undefined)).toBe(true);
    expect(ends.filter((w) => w.end < 15_000).map((w) => w.workers)).toEqual(ends.filter((w) => w.end < 15_000).map(() => 8));
    expect(ends.filter((w) => w.end > 15_000).map((w) => w.workers)).toEqual(ends.filter((w) => w.end > 15_000).map(() => 4));
  });

  it('reverts a fault after its `for:`, at its incident time', async () => {
    const r = await virtualRun({
      mock: { fleet: { workers: 8, serviceTime: '10ms' } },
      phases: [steadyPhase('calm', 6, 20)],
      faults: [{ at: '2s', fault: 'shrink-fleet', workers: 2, for: '2s' }],
    });
    expect(r.faults).toHaveLength(1);
    expect(r.faults[0]!.error).toBeUndefined();
    const workers = (from: number, to: number) => [
      ...new Set(r.timeline.filter((w) => w.t + w.durationMs > from && w.t + w.durationMs < to).map((w) => w.mock!.workers)),
    ];
    expect(workers(0, 2_000)).toEqual([8]);
    expect(workers(2_000, 4_000)).toEqual([2]);
    expect(workers(4_000, 6_001)).toEqual([8]);
  });

  it("shows a fault the mock refuses with the mock's reason, and the run goes on", async () => {
    const plan = virtualPlan({ mock: { fleet: { workers: 8, serviceTime: '10ms' } }, phases: [steadyPhase('calm', 2, 20)] });
    // The preflight refuses it in a profile; a plan can still carry one (a mock changed under it).
    plan.faults = [{ at: 1_000, fault: 'kill-routers', params: { count: 1 } }];
    const r = await startVirtualRun(plan).result;
    expect(r.faults).toEqual([
      {
        at: 1_000,
        fault: 'kill-routers',
        params: { count: 1 },
        error: 'the mock refused it: kill-routers: needs router nodes, but the routers section is off',
      },
    ]);
    expect(r.total.ok).toBe(40);
  });

  it('--skip-faults lists every fault as skipped and applies none', async () => {
    const r = await startVirtualRun(buildRunPlan(loadProfile('quickstart'), { skipFaults: true })).result;
    expect(r.faults).toEqual([{ at: 15_000, fault: 'shrink-fleet', params: { workers: 4 }, error: SKIPPED_FAULT_ERROR }]);
    expect(new Set(r.timeline.map((w) => w.mock!.workers))).toEqual(new Set([8]));
  });
});

describe('the driver', () => {
  it('refuses a round trip of 0 (closed users against an instant refusal would loop at one instant), or below', async () => {
    const plan = virtualPlan({ phases: [{ name: 'loop', duration: '1s', vus: 2 }] });
    for (const rttMs of [0, -1, Number.NaN]) {
      await expect(startVirtualRun(plan, { rttMs }).result).rejects.toThrow(/the round trip must be a number of ms above zero/);
    }
  });

  it('ends a simulated day at 1,000 req/s promptly on interrupt: interrupted, partial counts, its progress advancing', async () => {
    const handle = startVirtualRun(virtualPlan({ mock: { fleet: { workers: 64, serviceTime: 'exp:20ms' } }, phases: [steadyPhase('day', 86_400, 1_000)] }));
    const seen: number[] = [];
    // The driver yields to the event loop as it goes: this loop gets turns while the day runs.
    while ((handle.progress()?.offered ?? 0) < 20_000) {
      await new Promise((resolve) => setImmediate(resolve));
      const at = handle.progress()?.incidentMs;
      if (at !== undefined && at !== seen.at(-1)) seen.push(at);
    }
    const progress = handle.progress()!;
    handle.interrupt();
    const r = await handle.result;
    expect(seen.length).toBeGreaterThan(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(progress.totalMs).toBe(86_400_000);
    expect(progress.incidentMs).toBeGreaterThanOrEqual(19_000);
    expect(r.interrupted).toBe(true);
    expect(r.plannedMs).toBe(86_400_000);
    // Partial: what was offered before the interrupt, and at most a slice of the driver's more (not the day's 86.4 M).
    expect(r.total.offered).toBeGreaterThanOrEqual(progress.offered);
    expect(r.total.offered).toBeLessThan(progress.offered + 200_000);
    expect(r.total.durationMs).toBeLessThan(86_400_000 / 100);
    expect(r.total.ok + r.total.failed + r.total.unfinished + r.total.dropped).toBe(r.total.offered);
  }, 60_000);
});
