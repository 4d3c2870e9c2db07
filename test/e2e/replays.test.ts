// The bundled incident replays, run through the built CLI against the real mock at a higher --speed,
// asserting the shapes the postmortems describe. Tolerances: every phase holds 1,000-6,000 requests, so
// sampling noise on a success ratio is under 1.5 points; the bands below are several times wider,
// leaving room for the wall-clock jitter a busy CI machine adds at these speeds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PhaseResult, RunResult } from '../../src/result/run-result.js';
import { runCli } from '../support/cli.js';
import { REPLAY_SPEEDS, replayResultsDir } from '../support/replay-results.js';

/** Runs a replay at its speed (REPLAY_SPEEDS), leaving its result for the HTML report tests. */
async function replay(profile: string): Promise<RunResult> {
  const speed = REPLAY_SPEEDS[profile]!;
  const json = join(replayResultsDir, `${profile}.json`);
  const res = await runCli(['ramp', profile, '--speed', String(speed), '--json', json, '--quiet'], { timeoutMs: 120_000 });
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(readFileSync(json, 'utf8')) as RunResult;
}

function phase(result: RunResult, name: string): PhaseResult {
  const found = result.phases.find((p) => p.name === name);
  if (!found) throw new Error(`no phase ${name} in ${result.profile.name}`);
  return found;
}

const success = (result: RunResult, name: string): number => phase(result, name).successRatio;

describe('dalle-2023-03 and its remediated twin', () => {
  let original: RunResult;
  let remediated: RunResult;

  it('lands near the published 10%, 25%, 50%, 0% and recovers', { timeout: 120_000 }, async () => {
    original = await replay('dalle-2023-03');
    expect(success(original, 'before-change')).toBeGreaterThan(0.95);
    expect(success(original, 'ten-percent')).toBeGreaterThan(0.06);
    expect(success(original, 'ten-percent')).toBeLessThan(0.15);
    expect(success(original, 'twenty-five')).toBeGreaterThan(0.2);
    expect(success(original, 'twenty-five')).toBeLessThan(0.32);
    expect(success(original, 'afternoon')).toBeGreaterThan(0.95);
    expect(success(original, 'saturday-night')).toBeGreaterThan(0.35);
    expect(success(original, 'saturday-night')).toBeLessThan(0.65);
    expect(success(original, 'small-hours')).toBeLessThan(0.03);
    expect(success(original, 'sunday-morning')).toBeLessThan(0.1);
    expect(success(original, 'recovered')).toBeGreaterThan(0.85);
  });

  it('gets there by mechanics: 504s from the enforced timeout first, then clients giving up on the unswept backlog', () => {
    expect(original.faults.map((f) => f.fault)).not.toContain('error-rate');
    for (const f of original.faults) expect(f.error).toBeUndefined();
    // While the monitor works, failures are the queue timeout's 504s after a minute of waiting...
    const tenPercent = phase(original, 'ten-percent');
    expect(tenPercent.statuses['504']! / tenPercent.failed).toBeGreaterThan(0.95);
    expect(tenPercent.latencyMs!.p50).toBeGreaterThan(55_000);
    // ...and once the pooling change broke it, nothing is cancelled: users time out after 5 minutes.
    const smallHours = phase(original, 'small-hours');
    expect(smallHours.errors.timeout! / smallHours.failed).toBeGreaterThan(0.95);
    expect(smallHours.latencyMs!.p50).toBeGreaterThanOrEqual(295_000);
    // The database connection cap is what holds the reallocated fleet at 25%.
    const capped = original.timeline.filter((w) => w.t >= 60 * 60_000 && w.t < 75 * 60_000 && w.mock);
    expect(capped.length).toBeGreaterThanOrEqual(3);
    for (const w of capped) expect(w.mock!.busy).toBeLessThanOrEqual(9);
  });

  it('the remediated twin does more successful work under the same traffic, and refuses fast', { timeout: 120_000 }, async () => {
    remediated = await replay('dalle-2023-03-remediated');
    expect(remediated.total.offered).toBe(original.total.offered);
    expect(remediated.total.ok).toBeGreaterThan(1.5 * original.total.ok);
    for (const name of ['ten-percent', 'small-hours', 'sunday-morning']) {
      expect(success(remediated, name)).toBeGreaterThan(success(original, name) + 0.2);
    }
    // At the evening peak capacity bounds both at about 57%; the twin still does better.
    expect(success(remediated, 'saturday-night')).toBeGreaterThan(success(original, 'saturday-night'));
    // Capacity is signalled with 429s instead of minute-long waits for a 504.
    const tenPercent = phase(remediated, 'ten-percent');
    expect(tenPercent.statuses['429'] ?? 0).toBeGreaterThan(0);
    expect(tenPercent.latencyMs!.p50).toBeLessThan(phase(original, 'ten-percent').latencyMs!.p50 * 0.6);
  });

  it('separating and prioritising traffic: the priority class gets through every phase of the twin, and fares like the rest without it', () => {
    const priority = (r: RunResult, name: string): PhaseResult => phase(r, name).mix!.find((c) => c.name === 'priority')!;
    for (const p of remediated.phases) expect(priority(remediated, p.name).successRatio, p.name).toBeGreaterThan(0.97);
    // Same headers, same share, but the original's mock has no priority section: no protection.
    for (const name of ['ten-percent', 'small-hours']) {
      expect(Math.abs(priority(original, name).successRatio - success(original, name))).toBeLessThan(0.1);
    }
    // Every class's share of the arrivals is the profile's (10%), from the same seeded draws in both runs.
    expect(remediated.total.mix!.map((c) => c.offered)).toEqual(original.total.mix!.map((c) => c.offered));
    expect(Math.abs(remediated.total.mix![0]!.offered / remediated.total.offered - 0.1)).toBeLessThan(0.01);
  });
});

describe('api-2023-11 and its remediated twin', () => {
  let original: RunResult;

  it('loses its routers one by one, fails with 502 then 503, and recovers only after the traffic limit', { timeout: 120_000 }, async () => {
    original = await replay('api-2023-11');
    const ready = original.timeline.filter((w) => w.mock).map((w) => ({ t: w.t, ready: w.mock!.routersReady! }));
    const limitAt = 90 * 60_000;
    const redeployedBy = 96 * 60_000;
    // All 8 ready through the normal morning.
    for (const w of ready.filter((w) => w.t < 20 * 60_000)) expect(w.ready).toBe(8);
    // During the cascade the timeline passes through partial counts on the way to none: one by one.
    const beforeLimit = ready.filter((w) => w.t < limitAt);
    const firstLoss = beforeLimit.findIndex((w) => w.ready < 8);
    expect(firstLoss).toBeGreaterThan(0);
    expect(beforeLimit.some((w) => w.ready === 0)).toBe(true);
    const partial = new Set(beforeLimit.map((w) => w.ready).filter((n) => n > 0 && n < 8));
    expect(partial.size).toBeGreaterThanOrEqual(1);
    // Unable to recover on its own: after the first loss, never all 8 again until the limit.
    for (const w of beforeLimit.slice(firstLoss)) expect(w.ready).toBeLessThan(8);
    // After the limit and the redeploy, all 8 come back and stay.
    for (const w of ready.filter((w) => w.t >= redeployedBy)) expect(w.ready).toBe(8);

    const cascade = phase(original, 'cascade');
    expect(cascade.statuses['502'] ?? 0).toBeGreaterThan(50);
    expect(cascade.statuses['503'] ?? 0).toBeGreaterThan(cascade.statuses['502'] ?? 0);
    expect(cascade.successRatio).toBeLessThan(0.5);
    expect(phase(original, 'limited').statuses['429'] ?? 0).toBeGreaterThan(500);
    expect(success(original, 'recovered')).toBeGreaterThan(0.95);
  });

  it('the remediated twin keeps every router ready and beats it on goodput', { timeout: 120_000 }, async () => {
    const remediated = await replay('api-2023-11-remediated');
    expect(remediated.total.offered).toBe(original.total.offered);
    // 10 nodes is both the starting count and the autoscaler's floor. With the buffer reused memory never
    // builds up over its base, so the autoscaler never needs more, and no node fails readiness (a failure
    // answers 502 at least to the request that tipped its node over).
    for (const w of remediated.timeline.filter((w) => w.mock)) expect(w.mock!.routersReady).toBe(10);
    expect(remediated.total.statuses['502'] ?? 0).toBe(0);
    expect(remediated.total.statuses['503'] ?? 0).toBe(0);
    expect(remediated.total.ok).toBeGreaterThan(1.3 * original.total.ok);
    expect(success(remediated, 'cascade')).toBeGreaterThan(0.95);
  });
});

describe('retry-storm and its remediated twin', () => {
  let storm: RunResult;

  it('stays down after its trigger ends, held there by its own retries', { timeout: 120_000 }, async () => {
    storm = await replay('retry-storm');
    expect(success(storm, 'steady')).toBeGreaterThan(0.97);
    expect(success(storm, 'spike')).toBeLessThan(0.5);
    for (const name of ['aftermath', 'later']) {
      const p = phase(storm, name);
      expect(p.successRatio).toBeLessThan(0.05);
      expect(p.attempts / p.sent).toBeGreaterThan(3);
    }
  });

  it('the remediated twin recovers once the spike is over', { timeout: 120_000 }, async () => {
    const remediated = await replay('retry-storm-remediated');
    expect(remediated.total.offered).toBe(storm.total.offered);
    expect(success(remediated, 'aftermath')).toBeGreaterThan(success(storm, 'aftermath') + 0.2);
    expect(success(remediated, 'later')).toBeGreaterThan(0.95);
    const later = phase(remediated, 'later');
    expect(later.attempts / later.sent).toBeLessThan(1.2);
    expect(remediated.total.ok).toBeGreaterThan(1.5 * storm.total.ok);
  });
});
