// The pieces of compare's verdicts on their own: the t and normal quantiles against their tables, the
// Wilson and Newcombe intervals within their ranges however extreme the counts, the ratio of two rates,
// the effective sample size, Welch's interval between groups of runs; and `compare` given directories of
// saved runs (groups) through the CLI's own code.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { judgeBetweenRuns, spread, welchInterval } from '../../src/report/compare/between-runs.js';
import { normalQuantile, studentQuantile } from '../../src/report/compare/distributions.js';
import { effective, judgeSuccessCounts, type RowCounts } from '../../src/report/compare/effective-count.js';
import { newcombe, rateRatio, wilson } from '../../src/report/compare/proportions.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { steadyPhase, virtualRun } from '../support/virtual-run.js';

describe('distributions', () => {
  it('gives the quantiles of the tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.96, 3);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758, 3);
    // Student's t, two-sided 95% and 99%, from the usual table.
    expect(studentQuantile(0.975, 1)).toBeCloseTo(12.706, 2);
    expect(studentQuantile(0.975, 2)).toBeCloseTo(4.303, 3);
    expect(studentQuantile(0.975, 4)).toBeCloseTo(2.776, 3);
    expect(studentQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(studentQuantile(0.995, 4)).toBeCloseTo(4.604, 3);
    expect(studentQuantile(0.975, 2.5)).toBeGreaterThan(studentQuantile(0.975, 3));
  });
});

describe('intervals within their ranges', () => {
  it('Wilson and Newcombe never leave [0, 1] and [−1, +1], at the extremes or at random', () => {
    expect(wilson(0, 9, 1.96)[0]).toBe(0);
    expect(wilson(1, 9, 1.96)[1]).toBe(1);
    const random = new Random(7, 'intervals');
    for (let i = 0; i < 2000; i++) {
      const pick = (): number => (random.next() < 0.2 ? (random.next() < 0.5 ? 0 : 1) : random.next());
      const [pA, pB] = [pick(), pick()];
      const [nA, nB] = [1 + random.next() * 5000, 1 + random.next() * 5000];
      const [lo, hi] = newcombe(pA, nA, pB, nB, 2.576);
      expect(lo).toBeGreaterThanOrEqual(-1);
      expect(hi).toBeLessThanOrEqual(1);
      expect(lo).toBeLessThanOrEqual(pB - pA + 1e-12);
      expect(hi).toBeGreaterThanOrEqual(pB - pA - 1e-12);
    }
  });

  it('the ratio of two rates: from 0 when B had none, unbounded only when A had none', () => {
    const [lo, hi] = rateRatio(1000, 60_000, 0, 60_000, 9, 1.96);
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThan(0);
    expect(hi).toBeLessThan(1);
    expect(rateRatio(0, 60_000, 10, 60_000, 9, 1.96)[1]).toBe(Infinity);
    const even = rateRatio(500, 60_000, 500, 60_000, 1000, 1.96);
    expect(even[0]).toBeLessThan(1);
    expect(even[1]).toBeGreaterThan(1);
  });
});

describe('success with one run a side, as counts', () => {
  const counts = (ok: number, offered: number, successDesign: number): RowCounts => ({
    ok,
    offered,
    durationMs: 180_000,
    successDesign,
    goodputDesign: 1,
    stretches: 9,
  });

  it('the effective size is n over the design effect, never below the stretches nor above n', () => {
    expect(effective(2000, 10, 9)).toBe(200);
    expect(effective(2000, 1e6, 9)).toBe(9);
    expect(effective(5, 1, 9)).toBe(5);
  });

  it('calls a collapse from 52% to 0% real even when the windows of the 52% vary as much as they can', () => {
    // retry-storm's aftermath: the remediated client recovers half way through (its windows go from 0 to
    // 100%, a design effect in the hundreds); the storm's fail throughout.
    const judged = judgeSuccessCounts(counts(1125, 2160, 1e4), counts(0, 2160, 1), 1.96);
    expect(judged.verdict).toBe('real');
    expect(judged.interval![1]).toBeLessThan(0);
    expect(judged.interval![0]).toBeGreaterThanOrEqual(-100);
    expect(judged.effectiveSize).toEqual([9, 9]);
  });

  it('is noise for 100% against 87% when the 87% came in one burst: a run without failures says nothing of how they cluster', () => {
    expect(judgeSuccessCounts(counts(800, 800, 1), counts(696, 800, 40), 1.96).verdict).toBe('noise');
  });
});

describe('between runs', () => {
  it("Welch's interval: Student's t on the pooled spread, the Welch–Satterthwaite degrees of freedom", () => {
    const w = welchInterval(spread([1, 2, 3]), spread([4, 5, 6]), 0.95)!;
    // d = 3, se = √(1/3 + 1/3), df = 4.
    expect(w.df).toBeCloseTo(4, 6);
    expect(w.interval[0]).toBeCloseTo(3 - 2.776 * Math.sqrt(2 / 3), 2);
    // One run on a side: its spread taken as the other's, df = k − 1.
    expect(welchInterval(spread([1, 2, 3]), spread([5]), 0.95)!.df).toBe(2);
    expect(welchInterval(spread([1]), spread([5]), 0.95)).toBeNull();
  });

  it('judges success in points within ±100, latencies as ratios of geometric means, and says when it cannot', () => {
    const success = judgeBetweenRuns('success', [0.5, 0.55, 0.52], [0, 0, 0], [60, 60]);
    expect(success).toMatchObject({ verdict: 'real', method: 'between-runs', runs: [3, 3] });
    expect(success.interval![0]).toBeGreaterThanOrEqual(-100);
    expect(success.gate!.confidence).toBe(0.99);
    const all = judgeBetweenRuns('success', [1, 1, 1], [0, 0, 0], [60, 60]);
    expect(all.interval).toEqual([-100, -100]);
    const p99 = judgeBetweenRuns('p99', [100, 110, 95], [98, 105, 112], [60, 60]);
    expect(p99.verdict).toBe('noise');
    expect(p99.interval![0]).toBeGreaterThan(0);
    expect(judgeBetweenRuns('goodput', [10, 11, 9], [0, 0, 0], [60, 60]).interval![0]).toBe(0);
    expect(judgeBetweenRuns('p99', [null, null], [100, 120], [60, 60]).verdict).toBe('insufficient');
  });
});

// Groups of runs of the product in virtual time (test/support/virtual-run.ts), saved as `ramp --json` would.
const run = (seed: number, workers: number) =>
  virtualRun({
    name: 'fleet',
    mock: { fleet: { workers, serviceTime: 'exp:100ms' } },
    phases: [steadyPhase('steady', 10, 60)],
    client: { arrivals: 'poisson' },
    seed,
  });
const dir = mkdtempSync(join(tmpdir(), 'incident-load-groups-'));
const group = async (name: string, workers: number): Promise<string> => {
  const path = join(dir, name);
  mkdirSync(path);
  for (const seed of [1, 2, 3, 4, 5]) writeFileSync(join(path, `run-${seed}.json`), JSON.stringify(await run(seed, workers)));
  return path;
};
const before = await group('before', 10);
// 10 workers of 100 ms at 60 req/s are 60% busy; 5 serve 50 req/s: the queue, and so p99, grows.
const after = await group('after', 5);

describe('compare with directories of saved runs', () => {
  it('judges a group of runs a side between runs: a fleet halved breaks "p99 +10%"', async () => {
    const res = await runCliInProcess(['compare', before, after, '--fail-on', 'steady: p99 +10%', '--no-color']);
    expect(res.code, res.stderr + res.stdout).toBe(1);
    expect(res.stdout).toMatch(/5 runs, seeds 1, 2, 3, 4, 5/);
    expect(res.stderr).toMatch(/--fail-on steady: p99 \+10%: B steady: p99 ×[\d.]+ against A \(margin \+10%\), a real difference: broken/);
  });

  it('keeps the groups in --json, so that report draws the same comparison again', async () => {
    const doc = join(dir, 'groups.json');
    const res = await runCliInProcess(['compare', before, after, '--quiet', '--json', doc]);
    expect(res.code, res.stderr).toBe(0);
    const again = await runCliInProcess(['report', doc, '--no-color']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/5 runs, seeds 1, 2, 3, 4, 5/);
    expect(again.stdout).toMatch(/steady +A .*\n +B .*×[\d.]+ ▲/);
  });

  it('refuses an empty directory and one with runs of two profiles, naming it (exit 2)', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const empty2 = await runCliInProcess(['compare', empty, before]);
    expect(empty2.code).toBe(2);
    expect(empty2.stderr).toMatch(/empty: a directory with no saved results in it/);
    const mixed = join(dir, 'mixed');
    mkdirSync(mixed);
    writeFileSync(join(mixed, 'a.json'), JSON.stringify(await run(1, 10)));
    const other = await run(2, 10);
    writeFileSync(join(mixed, 'b.json'), JSON.stringify({ ...other, profile: { ...other.profile, name: 'other' } }));
    const res = await runCliInProcess(['compare', mixed, before]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/mixed: a directory is one group of repeated runs of one profile, and it holds runs of "fleet", "other"/);
  });

  it('refuses --repeat 0 and 101, naming the flag', async () => {
    for (const k of ['0', '101']) {
      const res = await runCliInProcess(['compare', before, after, '--repeat', k]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/--repeat: expected a whole number of runs a side from 1 to 100/);
    }
  });
});
