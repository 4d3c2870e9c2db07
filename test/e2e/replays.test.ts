// The bundled incident replays, run through the built CLI in virtual time (`ramp --virtual`: the mock's
// model in process, the same client, an exact clock), asserting the shapes the postmortems describe. A
// virtual run is the same on any machine and under any load, and hours of incident take about a second,
// so these bands need no room for a host: each is the published figure with a margin for what the model
// does not reproduce (said where it matters), several times the sampling noise its phase's requests
// allow (a success ratio from n requests has sd sqrt(p(1 - p) / n): 0.005 for 3 600 at 10 %, 0.009 at
// 50 % for 3 000). That the HTTP runs agree with these, phase by phase, is
// test/e2e/fidelity-virtual-http.test.ts's to show.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PhaseResult, RunResult } from '../../src/result/run-result.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-replays-'));

/** Runs a replay in virtual time. */
async function replay(profile: string): Promise<RunResult> {
  const json = join(dir, `${profile}.json`);
  const res = await runCli(['ramp', profile, '--virtual', '--json', json, '--quiet'], { timeoutMs: 60_000 });
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
  expect(result.profile.clock).toBe('virtual');
  return result;
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

  it('lands near the published 10%, 25%, 50%, 0% and recovers', { timeout: 60_000 }, async () => {
    original = await replay('dalle-2023-03');
    // Published: 10 % (ten-percent, 3 594 requests: sd 0.005), 25 % (twenty-five, 2 471: sd 0.009),
    // 50 % at 11 pm (saturday-night, 3 016: sd 0.009), 0 % (small-hours); each band about 4 sd.
    expect(success(original, 'before-change')).toBeGreaterThan(0.98);
    expect(Math.abs(success(original, 'ten-percent') - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(success(original, 'twenty-five') - 0.25)).toBeLessThan(0.035);
    expect(success(original, 'afternoon')).toBeGreaterThan(0.99);
    expect(Math.abs(success(original, 'saturday-night') - 0.5)).toBeLessThan(0.04);
    expect(success(original, 'small-hours')).toBeLessThan(0.005);
    // Sunday morning's first requests are served late: a few percent, still "0 % at 7 am".
    expect(success(original, 'sunday-morning')).toBeLessThan(0.05);
    expect(success(original, 'recovered')).toBeGreaterThan(0.99);
  });

  it('gets there by mechanics: 504s from the enforced timeout first, then clients giving up on the unswept backlog', () => {
    expect(original.faults.map((f) => f.fault)).not.toContain('error-rate');
    for (const f of original.faults) expect(f.error).toBeUndefined();
    // While the monitor works, failures are the queue timeout's 504s after a minute of waiting...
    const tenPercent = phase(original, 'ten-percent');
    expect(tenPercent.statuses['504']! / tenPercent.failed).toBeGreaterThan(0.99);
    expect(tenPercent.latencyMs!.p50).toBeGreaterThan(55_000);
    // ...and once the pooling change broke it, nothing is cancelled: users time out after 5 minutes.
    const smallHours = phase(original, 'small-hours');
    expect(smallHours.errors.timeout! / smallHours.failed).toBeGreaterThan(0.99);
    expect(smallHours.latencyMs!.p50).toBeGreaterThanOrEqual(295_000);
    // The database connection cap is what holds the reallocated fleet at 25%.
    const capped = original.timeline.filter((w) => w.t >= 60 * 60_000 && w.t < 75 * 60_000 && w.mock);
    expect(capped.length).toBeGreaterThanOrEqual(3);
    for (const w of capped) expect(w.mock!.busy).toBeLessThanOrEqual(9);
  });

  it('the remediated twin does more successful work under the same traffic, and refuses fast', { timeout: 60_000 }, async () => {
    remediated = await replay('dalle-2023-03-remediated');
    expect(remediated.total.offered).toBe(original.total.offered);
    expect(remediated.total.ok).toBeGreaterThan(2 * original.total.ok);
    for (const name of ['ten-percent', 'small-hours', 'sunday-morning']) {
      expect(success(remediated, name)).toBeGreaterThan(success(original, name) + 0.2);
    }
    // At the evening peak capacity bounds both at about 57%; the twin still does better.
    expect(success(remediated, 'saturday-night')).toBeGreaterThan(success(original, 'saturday-night'));
    // Capacity is signalled with 429s instead of minute-long waits for a 504.
    const tenPercent = phase(remediated, 'ten-percent');
    expect((tenPercent.statuses['429'] ?? 0) / tenPercent.failed).toBeGreaterThan(0.25);
    expect(tenPercent.latencyMs!.p50).toBeLessThan(phase(original, 'ten-percent').latencyMs!.p50 * 0.6);
  });

  it('separating and prioritising traffic: the priority class gets through every phase of the twin, and fares like the rest without it', () => {
    const priority = (r: RunResult, name: string): PhaseResult => phase(r, name).mix!.find((c) => c.name === 'priority')!;
    for (const p of remediated.phases) expect(priority(remediated, p.name).successRatio, p.name).toBeGreaterThan(0.99);
    // Same headers, same share, but the original's mock has no priority section: no protection (the class
    // is a tenth of a phase's requests: 360 in ten-percent, sd 0.016 at 10 %).
    for (const name of ['ten-percent', 'small-hours']) {
      expect(Math.abs(priority(original, name).successRatio - success(original, name))).toBeLessThan(0.05);
    }
    // Every class's share of the arrivals is the profile's (10%), from the same seeded draws in both runs.
    expect(remediated.total.mix!.map((c) => c.offered)).toEqual(original.total.mix!.map((c) => c.offered));
    expect(Math.abs(remediated.total.mix![0]!.offered / remediated.total.offered - 0.1)).toBeLessThan(0.01);
  });
});

describe('api-2023-11 and its remediated twin', () => {
  let original: RunResult;

  it('loses its routers one by one, fails with 502 then 503, and recovers only after the traffic limit', { timeout: 60_000 }, async () => {
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
    expect(cascade.successRatio).toBeLessThan(0.4);
    expect(phase(original, 'limited').statuses['429'] ?? 0).toBeGreaterThan(1000);
    expect(success(original, 'recovered')).toBeGreaterThan(0.99);
  });

  it('the remediated twin keeps every router ready and beats it on goodput', { timeout: 60_000 }, async () => {
    const remediated = await replay('api-2023-11-remediated');
    expect(remediated.total.offered).toBe(original.total.offered);
    // 10 nodes is both the starting count and the autoscaler's floor. With the buffer reused memory never
    // builds up over its base, so the autoscaler never needs more, and no node fails readiness (a failure
    // answers 502 at least to the request that tipped its node over).
    for (const w of remediated.timeline.filter((w) => w.mock)) expect(w.mock!.routersReady).toBe(10);
    expect(remediated.total.statuses['502'] ?? 0).toBe(0);
    expect(remediated.total.statuses['503'] ?? 0).toBe(0);
    expect(remediated.total.ok).toBeGreaterThan(1.5 * original.total.ok);
    expect(success(remediated, 'cascade')).toBeGreaterThan(0.99);
  });
});

describe('retry-storm and its remediated twin', () => {
  let storm: RunResult;

  it('stays down after its trigger ends, held there by its own retries', { timeout: 60_000 }, async () => {
    storm = await replay('retry-storm');
    expect(success(storm, 'steady')).toBeGreaterThan(0.99);
    expect(success(storm, 'spike')).toBeLessThan(0.3);
    // Every request of the aftermath and later is sent four times, and none gets through.
    for (const name of ['aftermath', 'later']) {
      const p = phase(storm, name);
      expect(p.ok).toBe(0);
      expect(p.attempts).toBe(4 * p.sent);
    }
  });

  it('the remediated twin recovers once the spike is over', { timeout: 60_000 }, async () => {
    const remediated = await replay('retry-storm-remediated');
    expect(remediated.total.offered).toBe(storm.total.offered);
    expect(success(remediated, 'aftermath')).toBeGreaterThan(success(storm, 'aftermath') + 0.4);
    expect(success(remediated, 'later')).toBeGreaterThan(0.99);
    const later = phase(remediated, 'later');
    expect(later.attempts / later.sent).toBeLessThan(1.05);
    expect(remediated.total.ok).toBeGreaterThan(2.5 * storm.total.ok);
  });
});
