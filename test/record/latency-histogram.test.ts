import { describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, encodeHistogram, mergeHistograms, recordMs, summarize } from '../../src/core/latency-histogram.js';
import { Random } from '../../src/core/random.js';

describe('latency histograms', () => {
  it('encode and decode without loss: same count, percentiles, min, max and mean', () => {
    const h = createHistogram();
    const random = new Random(5, 'test');
    for (let i = 0; i < 50_000; i++) recordMs(h, random.lognormal(40, 1.2));
    recordMs(h, 0);
    recordMs(h, 3_600_000 * 5); // five hours: past the initial range, auto-resized
    const back = decodeHistogram(encodeHistogram(h));
    expect(back.totalCount).toBe(h.totalCount);
    for (const p of [0, 1, 25, 50, 90, 99, 99.9, 99.99, 100]) expect(back.getValueAtPercentile(p)).toBe(h.getValueAtPercentile(p));
    expect(back.mean).toBeCloseTo(h.mean, 6);
    // The encoding keeps buckets, not the exact max: decoded, the max is its bucket's top (within 0.1%).
    const [a, b] = [summarize(h)!, summarize(back)!];
    expect({ ...b, max: 0 }).toEqual({ ...a, max: 0 });
    expect(Math.abs(b.max - a.max) / a.max).toBeLessThan(0.001);
  });

  it("summarizes in one walk exactly as hdr-histogram-js's getValueAtPercentile and mean do", () => {
    // 120 histograms of every shape a run makes: narrow, wide with zeros, one value, heavy-tailed, resized.
    const random = new Random(11, 'summaries');
    for (let k = 0; k < 120; k++) {
      const h = createHistogram();
      const n = 1 + Math.floor(random.next() * (k % 10 === 0 ? 5_000 : 300));
      for (let i = 0; i < n; i++) {
        const shape = k % 5;
        recordMs(
          h,
          shape === 0
            ? random.next() * 50
            : shape === 1
              ? random.next() < 0.5
                ? 0
                : random.next() * 3e6
              : shape === 2
                ? 5
                : shape === 3
                  ? random.lognormal(40, 2)
                  : random.next() * 2e7,
        );
      }
      const max = h.maxValue;
      const at = (p: number): number => Math.min(h.getValueAtPercentile(p), max) / 1000;
      const min = at(0);
      expect(summarize(h)).toEqual({
        min,
        mean: Math.min(Math.max(h.mean / 1000, min), max / 1000),
        p50: at(50),
        p90: at(90),
        p95: at(95),
        p99: at(99),
        p999: at(99.9),
        max: max / 1000,
      });
    }
  });

  it('records microseconds at 3 significant digits', () => {
    const h = createHistogram();
    recordMs(h, 12.3456);
    const s = summarize(h)!;
    expect(Math.abs(s.p50 - 12.3456) / 12.3456).toBeLessThan(0.001);
    expect(s.max).toBeCloseTo(12.346, 3);
  });

  it('merges phases into a total exactly', () => {
    const a = createHistogram();
    const b = createHistogram();
    for (let i = 1; i <= 1000; i++) recordMs(a, i);
    for (let i = 1001; i <= 3000; i++) recordMs(b, i);
    const merged = decodeHistogram(encodeHistogram(mergeHistograms([decodeHistogram(encodeHistogram(a)), b])));
    expect(merged.totalCount).toBe(3000);
    expect(summarize(merged)!.p50 / 1500).toBeCloseTo(1, 2);
    expect(summarize(merged)!.max).toBeCloseTo(3000, 0);
  });

  it('summarizes nothing as null, and never puts a percentile above the max', () => {
    expect(summarize(createHistogram())).toBeNull();
    const h = createHistogram();
    for (let i = 0; i < 1000; i++) recordMs(h, 19_250 + i * 0.01);
    const s = summarize(h)!;
    for (const p of [s.p50, s.p90, s.p95, s.p99, s.p999]) expect(p).toBeLessThanOrEqual(s.max);
  });

  it('keeps the mean between min and max when every value sits in one bucket', () => {
    // dalle-2023-03's small-hours: every request times out at exactly 5 minutes. The bucket's midpoint
    // was above the exact max, and compare refused the result ramp --json had just written.
    const h = createHistogram();
    for (let i = 0; i < 100; i++) recordMs(h, 300_000);
    const s = summarize(h)!;
    expect(s.max).toBe(300_000);
    expect(s.mean).toBeGreaterThanOrEqual(s.min);
    expect(s.mean).toBeLessThanOrEqual(s.max);
  });
});
