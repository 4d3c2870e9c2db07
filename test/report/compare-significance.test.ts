// The block bootstrap on its own: the same inputs give the same verdicts (seeded), a known difference
// lies inside its interval and a run against itself is noise, and what it cannot judge (too few windows,
// windows from before they kept the successes' latencies, a class row) is "insufficient", with a reason.
import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, recordMs } from '../../src/core/latency-histogram.js';
import { Random } from '../../src/core/random.js';
import { blockBootstrap, type BootstrapWindow } from '../../src/report/compare/block-bootstrap.js';
import { chooseBlockLength, politisWhite } from '../../src/report/compare/block-length.js';
import { widening, judgeRow, resampleRow, significance } from '../../src/report/compare/significance.js';
import type { RunResult } from '../../src/result/run-result.js';
import { steadyPhase, virtualRun } from '../support/virtual-run.js';

// Runs of the product in virtual time (test/support/virtual-run.ts), Poisson arrivals.
// 8 workers at 100 ms serve 80 req/s; 60 req/s keeps them three-quarters busy: a steady phase.
const STEADY = { mock: { fleet: { workers: 8, serviceTime: 'exp:100ms' } }, phases: [steadyPhase('steady', 20, 60)], client: { arrivals: 'poisson' } };
const a = await virtualRun({ ...STEADY, seed: 1 });
const b = await virtualRun({ ...STEADY, seed: 2 });

describe('the block bootstrap', () => {
  it('is deterministic: the same windows and stream give the same resamples, another stream others', () => {
    const once = resampleRow(a, { kind: 'phase', name: 'steady' }, 'x');
    const again = resampleRow(a, { kind: 'phase', name: 'steady' }, 'x');
    const other = resampleRow(a, { kind: 'phase', name: 'steady' }, 'y');
    expect(once.ok && again.ok && other.ok).toBe(true);
    if (!once.ok || !again.ok || !other.ok) return;
    expect([...once.values.p99!]).toEqual([...again.values.p99!]);
    expect([...once.values.p99!]).not.toEqual([...other.values.p99!]);
    expect(judgeRow(a, b, { kind: 'total' }, ['A', 'B'], 's')).toEqual(judgeRow(a, b, { kind: 'total' }, ['A', 'B'], 's'));
  });

  it('reads sums and percentiles of the resampled windows as one histogram of them would', () => {
    // Three windows; one resample of single-window blocks picks some of them with repetition.
    const window = (values: number[], ok: number): BootstrapWindow => {
      const counts = new Map<number, number>();
      for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
      return { sums: [ok], histograms: [[...counts.entries()].sort((x, y) => x[0] - y[0])] };
    };
    const windows = [window([1, 2, 3], 3), window([10, 20], 2), window([100], 1)];
    const draws = blockBootstrap([{ windows, blockLength: 1 }], (v) => [v.sum(0), v.count(0), v.percentile(0, 50), v.percentile(0, 100)], {
      resamples: 200,
      seed: 1,
      stream: 't',
    });
    for (const [ok, count, p50, max] of draws) {
      // Whatever was drawn: ok and the histogram's count agree (each window's ok = its values).
      expect(count).toBe(ok);
      expect([1, 2, 3, 10, 20, 100]).toContain(p50);
      expect([3, 20, 100]).toContain(max);
    }
    // Every window turns up in some resample.
    expect(new Set(draws.map((d) => d[3])).size).toBe(3);
  });

  it('puts a known difference inside its interval and calls it real: 20% slower service at 45 req/s against 60', async () => {
    const slower = await virtualRun({
      ...STEADY,
      mock: { fleet: { workers: 8, serviceTime: 'exp:160ms' } },
      phases: [steadyPhase('steady', 20, 45)],
      seed: 3,
    });
    const verdicts = judgeRow(a, slower, { kind: 'phase', name: 'steady' }, ['A', 'B'], 'known');
    // Goodput: 45/s against 60/s, a ratio of 0.75 within the interval, which leaves out 1.
    const goodput = verdicts.goodput!;
    expect(goodput).toMatchObject({ verdict: 'real', method: 'effective-count' });
    expect(goodput.interval![0]!).toBeLessThan(0.75);
    expect(goodput.interval![1]!).toBeGreaterThan(0.75);
    expect(goodput.interval![1]!).toBeLessThan(1);
    // One run a side cannot judge a latency percentile: it says so rather than guess.
    expect(verdicts.p50).toMatchObject({ verdict: 'needs-repeats', interval: null, reason: expect.stringMatching(/compare --repeat 3/) });
    expect(verdicts.p99!.verdict).toBe('needs-repeats');
  });

  it('calls a run against itself noise, every figure it judges, with an interval around no difference', () => {
    const verdicts = judgeRow(a, a, { kind: 'total' }, ['A', 'B'], 'self');
    for (const metric of ['success', 'goodput', 'amplification'] as const) {
      const s = verdicts[metric]!;
      expect(s.verdict, metric).toBe('noise');
      const none = metric === 'success' ? 0 : 1;
      expect(s.interval![0]!).toBeLessThanOrEqual(none);
      expect(s.interval![1]!).toBeGreaterThanOrEqual(none);
    }
    expect(verdicts.amplification!.paired).toBe(true);
  });

  it('is "insufficient", with the reason, for a phase of fewer than 8 windows, a class row, and windows without what a figure needs', async () => {
    // A run's windows are no finer than 20 ms (and finer only for its shortest phase): a 100 ms phase has at most 5.
    const short = await virtualRun({ ...STEADY, phases: [steadyPhase('steady', 20, 60), { name: 'blip', duration: '100ms', rate: '60/s' }], seed: 4 });
    const blip = judgeRow(short, short, { kind: 'phase', name: 'blip' }, ['A', 'B'], 'b');
    expect(blip.success).toMatchObject({ verdict: 'insufficient', interval: null });
    expect(blip.success!.reason).toMatch(/^A: \d timeline windows? in the phase; 8 needed$/);
    expect(judgeRow(a, b, { kind: 'class' }, ['A', 'B'], 'c').success!.reason).toMatch(/not kept per class/);
    // A result written before windows kept the successes' latencies and attempts.
    const old: RunResult = { ...b, timeline: b.timeline.map(({ okHistogram: _h, attempts: _a, ...w }) => w) };
    const judged = judgeRow(a, old, { kind: 'total' }, ['A', 'B'], 'old');
    expect(judged.amplification!.reason).toMatch(/^B: the windows lack attempts/);
    expect(judged.success!.verdict).toBe('noise');
  });

  it('is "insufficient" when there are too few successes to read a latency from most resamples', () => {
    // Windows with one success in a hundred: many resamples of single windows have none.
    const windows = Array.from({ length: 12 }, (_, i) => {
      const h = createHistogram();
      if (i === 0) recordMs(h, 50);
      return {
        t: i * 100,
        durationMs: 100,
        offered: 1,
        ok: i === 0 ? 1 : 0,
        failed: i === 0 ? 0 : 1,
        dropped: 0,
        attempts: 1,
        p50: null,
        p99: null,
        histogram: encodeHistogram(h),
        okHistogram: encodeHistogram(h),
      };
    });
    const sparse: RunResult = { ...a, phases: [{ ...a.phases[0]!, startMs: 0, durationMs: 1_200 }], timeline: windows };
    const scope = { kind: 'phase', name: 'steady' } as const;
    const p99 = significance('p99', resampleRow(sparse, scope, 's'), resampleRow(a, scope, 's'), ['A', 'B']);
    expect(p99.verdict).toBe('insufficient');
  });
});

// 4 workers at 50 ms serve 80 req/s and 100 arrive: a fifth turned away at the queue's 300 ms; 8 serve
// everyone. The same seed: the same arrivals, and the same stream draws the same blocks of both.
const fleet = (workers: number): Promise<RunResult> =>
  virtualRun({
    mock: { fleet: { workers, serviceTime: '50ms' }, queue: { timeout: '300ms' } },
    phases: [steadyPhase('steady', 10, 100)],
    client: { arrivals: 'poisson' },
    seed: 4,
  });
const small = resampleRow(await fleet(4), { kind: 'phase', name: 'steady' }, 's');
const big = resampleRow(await fleet(8), { kind: 'phase', name: 'steady' }, 's');

describe('the bootstrap verdict against the difference shown', () => {
  const judge = (shown?: number) => significance('success', small, big, ['A', 'B'], shown);

  it('centres the interval on the difference shown, widened by how far the windows are from it', () => {
    const windows = judge();
    expect(windows.verdict).toBe('real');
    const [lo, hi] = windows.interval!;
    const median = (lo + hi) / 2;
    expect(median).toBeGreaterThan(15);
    const shifted = judge(median + 3);
    expect(shifted.verdict).toBe('real');
    // Centred on the shown difference, half as wide again by the 3 points the windows are off.
    expect((shifted.interval![0] + shifted.interval![1]) / 2).toBeCloseTo(median + 3, 5);
    expect(shifted.interval![1] - shifted.interval![0]).toBeCloseTo(hi - lo + 6, 1);
    // A difference the windows do not see: widened down to zero, so noise rather than real.
    expect(significance('success', small, small, ['A', 'A'], 2)).toMatchObject({ verdict: 'noise' });
  });

  it('is "insufficient", never "real" the other way, when the windows and the phase go opposite ways', () => {
    // (A phase whose requests outlive it, counted where they were sent and finishing in the next phase's
    // windows: dalle-2023-03's saturday-night read +7.5pp while its windows read -40.6pp.)
    const opposite = judge(-10);
    expect(opposite.verdict).toBe('insufficient');
    expect(opposite.reason).toMatch(
      /what finished in the phase's windows \(\+\d+\.\dpp\) went the other way from what the phase sent \(-10\.0pp\): its requests outlive it/,
    );
  });
});

describe('the block length and the interval', () => {
  it('chooses longer blocks for a series whose neighbours are alike, and at least √n', () => {
    const random = new Random(5, 'series');
    const noise = Array.from({ length: 64 }, () => random.normal());
    let level = 0;
    const persistent = Array.from({ length: 64 }, () => (level = 0.8 * level + random.normal()));
    expect(politisWhite(persistent)).toBeGreaterThan(politisWhite(noise));
    expect(chooseBlockLength([noise])).toEqual({ length: 8, tooLong: false });
    // A trend is not one steady state: it wants far longer blocks (Politis–White sees its correlations
    // only as far as √n + 5 lags, so it asks for 13 of the 16 allowed here rather than "too long").
    expect(chooseBlockLength([Array.from({ length: 64 }, (_, i) => i + random.normal())]).length).toBeGreaterThan(8);
  });

  it('keeps short blocks for a flat series and one whose neighbours alternate: nothing there reaches far', () => {
    // Success per window near 0.80 where now and then one completion moves across a window boundary
    // (0.89 then 0.73): the lag-1 correlation is near −0.5 and the long-run variance near zero. The
    // Politis–White formula divides by that variance; before this case was handled it asked for blocks of
    // 12–37 windows of 40, "too long", and a 20-point difference in success was called "insufficient"
    // (seen in CI on a busy machine, where the host's stalls move completions between windows).
    const random = new Random(9, 'alternating');
    const alternating = Array.from({ length: 40 }, () => 0.8);
    for (let i = 3; i + 1 < 40; i += 6 + Math.floor(random.next() * 10)) {
      alternating[i] = 0.89;
      alternating[i + 1] = 0.73;
    }
    expect(politisWhite(alternating)).toBe(1);
    expect(chooseBlockLength([alternating])).toEqual({ length: 6, tooLong: false });
    // Flat: every window 8 of 10 against 10 of 10. The mean of forty 0.19999999999999996 is one ulp off,
    // and the residues, all alike, read as a correlation that never dies out ("too long" before).
    for (const v of [1 - 0.8, 0.1, 1 / 3]) expect(chooseBlockLength([Array.from({ length: 40 }, () => v)])).toEqual({ length: 6, tooLong: false });
    // x_t = e_t − e_(t−1): the same cancelling, from noise.
    const e = Array.from({ length: 65 }, () => random.normal());
    expect(chooseBlockLength([e.slice(1).map((v, i) => v - e[i]!)])).toEqual({ length: 8, tooLong: false });
  });

  it('widens the interval for few blocks (t rather than normal) and tends to 1.96 standard deviations with many', () => {
    expect(widening(1e6)).toBeCloseTo(1.96, 2);
    expect(widening(20)).toBeGreaterThan(1.96);
    expect(widening(5)).toBeGreaterThan(widening(20));
    // With 5 blocks: √(5/4)·t(0.975, 4) = 1.118 × 2.776 = 3.10.
    expect(widening(5)).toBeCloseTo(3.1, 1);
  });

  it('is noise for identical inputs however the verdict is reached: significance of a row against itself', () => {
    const row = resampleRow(a, { kind: 'phase', name: 'steady' }, 'same');
    expect(significance('p99', row, row, ['A', 'A']).verdict).toBe('noise');
  });
});
