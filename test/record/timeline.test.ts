import { describe, expect, it } from 'vitest';
import { chooseWindowMs, TimelineRecorder } from '../../src/record/timeline.js';
import { decodeHistogram } from '../../src/core/latency-histogram.js';

describe('timeline windows', () => {
  it.each([1_000, 3_000, 25_000, 60_000, 510_000, 9_900_000, 12_600_000, 86_400_000 * 2])(
    'a run of %d ms gets 30 to 80 windows of a readable size',
    (total) => {
      const w = chooseWindowMs(total);
      const count = Math.ceil(total / w);
      expect(count).toBeGreaterThanOrEqual(30);
      expect(count).toBeLessThanOrEqual(80);
    },
  );

  it('makes the windows finer while the shortest phase has fewer than 20, up to 400 in all and no finer than asked', () => {
    // A 2 h 45 min replay of seven phases of 20 to 29 minutes: 3-minute windows by length alone (55, six
    // or seven a phase, too few for compare to judge a phase), 1-minute ones for its phases (165).
    expect(chooseWindowMs(9_900_000)).toBe(180_000);
    expect(chooseWindowMs(9_900_000, { shortestPhaseMs: 1_200_000 })).toBe(60_000);
    // Phases that are long already: as by length alone.
    expect(chooseWindowMs(25_000, { shortestPhaseMs: 10_000 })).toBe(500);
    // The quickstart's 5-second warmup in 25 s: 250 ms windows, 20 in it, 100 in the run.
    expect(chooseWindowMs(25_000, { shortestPhaseMs: 5_000 })).toBe(250);
    // A phase too short for 20 windows within 400 in all: as fine as 400 allow (310 windows of 10 ms).
    expect(chooseWindowMs(3_100, { shortestPhaseMs: 100 })).toBe(10);
    // No finer than finestMs (20 wall ms at speed 150: 3 s).
    expect(chooseWindowMs(600_000, { shortestPhaseMs: 10_000, finestMs: 3_000 })).toBe(5_000);
    for (const [total, shortest] of [
      [9_900_000, 1_200_000],
      [3_100, 100],
      [60_000, 1],
      [12_600_000, 60_000],
    ] as const) {
      const w = chooseWindowMs(total, { shortestPhaseMs: shortest });
      expect(Math.ceil(total / w)).toBeLessThanOrEqual(400);
      expect(w).toBeLessThanOrEqual(chooseWindowMs(total));
    }
  });

  it('counts arrivals where they were intended and completions where they finished, with per-window percentiles', () => {
    const timeline = new TimelineRecorder(10_000, 1_000);
    for (let t = 0; t < 3_000; t += 10) timeline.recordOffered(t); // 100 per window
    timeline.recordDropped(2_500);
    for (let i = 0; i < 100; i++) timeline.recordCompleted(500 + i, true, i + 1); // window 0: 1..100 ms
    for (let i = 0; i < 10; i++) timeline.recordCompleted(1_500, false, 1_000);
    const windows = timeline.finish();
    expect(windows).toHaveLength(10);
    expect(windows.slice(0, 3).map((w) => w.offered)).toEqual([100, 100, 100]);
    expect(windows[2]!.dropped).toBe(1);
    expect(windows[0]).toMatchObject({ t: 0, ok: 100, failed: 0 });
    expect(windows[0]!.p50).toBeCloseTo(50, 0);
    expect(windows[0]!.p99).toBeCloseTo(99, 0);
    expect(windows[1]).toMatchObject({ ok: 0, failed: 10, p50: expect.closeTo(1000, 0) });
    expect(windows[5]).toMatchObject({ offered: 0, ok: 0, p50: null, p99: null });
  });

  it("keeps each window's attempts and its successes' latencies apart from every completion's", () => {
    const timeline = new TimelineRecorder(3_000, 1_000);
    for (let i = 0; i < 90; i++) timeline.recordCompleted(100 + i, true, 10, 1);
    for (let i = 0; i < 10; i++) timeline.recordCompleted(500, false, 900, 3); // retried twice, then failed
    timeline.recordCompleted(1_500, true, 40, 2);
    const windows = timeline.finish();
    expect(windows.map((w) => w.attempts)).toEqual([120, 2, 0]);
    const okHistogram = decodeHistogram(windows[0]!.okHistogram!);
    expect(okHistogram.totalCount).toBe(90);
    expect(okHistogram.maxValue).toBeLessThan(11_000); // µs: the 900 ms failures are not in it
    expect(decodeHistogram(windows[0]!.histogram).totalCount).toBe(100);
    expect(decodeHistogram(windows[1]!.okHistogram!).totalCount).toBe(1);
    expect(decodeHistogram(windows[2]!.okHistogram!).totalCount).toBe(0);
  });

  it('stops at the planned end: requests that finish while the run drains count in the last window', () => {
    const timeline = new TimelineRecorder(2_000, 1_000);
    timeline.recordCompleted(3_400, true, 50);
    // However long the drain (at --speed 1e6, half a second of wall time is days of incident time).
    timeline.closeUntil(1e12);
    timeline.recordCompleted(1e12, false, 1e9);
    expect(timeline.nextCloseMs()).toBe(Infinity);
    const windows = timeline.finish();
    expect(windows).toHaveLength(2);
    expect(windows[1]).toMatchObject({ ok: 1, failed: 1 });
  });
});
