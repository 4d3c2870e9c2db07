// The merge is exact: segments' histograms added are the histogram of all their samples, so a merged
// phase (counts, every percentile, every class, every timeline window) is the phase recorded whole.
import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/core/latency-histogram.js';
import { Random } from '../../src/core/random.js';
import { PhaseRecorder } from '../../src/record/phase-recorder.js';
import { TimelineRecorder } from '../../src/record/timeline.js';
import { mergePhases, mergeTimelines } from '../../src/result/merge.js';
import type { PhaseResult, TimelineWindow } from '../../src/result/run-result.js';
import { outcomeOf } from '../support/recording.js';

interface Event {
  cls: number;
  status: number;
  latency: number;
  lag: number;
  dropped: boolean;
}

const random = new Random(17, 'merge-events');
const events: Event[] = Array.from({ length: 20_000 }, (_, i) => ({
  cls: i % 3 === 0 ? 1 : 0,
  status: random.next() < 0.1 ? 503 : 200,
  latency: random.lognormal(80, 1.2),
  lag: random.exponential(0.3),
  dropped: i % 97 === 0,
}));

function record(subset: readonly Event[]): PhaseResult {
  const p = new PhaseRecorder({ name: 'p', model: 'open', startMs: 0, durationMs: 10_000, classNames: ['a', 'b'] });
  for (const e of subset) {
    p.recordOffered(e.cls);
    if (e.dropped) {
      p.recordDropped(e.cls);
      continue;
    }
    p.recordSent(e.lag, e.cls);
    p.recordAttempt(false, e.cls);
    p.recordOutcome(outcomeOf(e.status), e.latency, e.latency / 3, e.cls);
  }
  return p.result();
}

describe('merge', () => {
  it.each([2, 3, 4, 8])('%d segments of a phase merge into exactly the phase recorded whole, classes included', (n) => {
    const whole = record(events);
    const merged = mergePhases(Array.from({ length: n }, (_, i) => record(events.filter((_, k) => k % n === i))));
    // Summaries and counts equal exactly; so do the histograms, value for value.
    const { histograms: a, mix: mixA, ...figuresWhole } = whole;
    const { histograms: b, mix: mixB, ...figuresMerged } = merged;
    expect(figuresMerged).toEqual(figuresWhole);
    for (const kind of ['latency', 'ok', 'service', 'sendLag'] as const) {
      const [h, g] = [decodeHistogram(a[kind]), decodeHistogram(b[kind])];
      expect(g.totalCount, kind).toBe(h.totalCount);
      for (const q of [0, 1, 50, 90, 99, 99.9, 100]) expect(g.getValueAtPercentile(q), `${kind} p${q}`).toBe(h.getValueAtPercentile(q));
    }
    expect(mixB!.map(({ histograms: _h, ...rest }) => rest)).toEqual(mixA!.map(({ histograms: _h, ...rest }) => rest));
  });

  it('timeline windows merge exactly: counts added, p50 and p99 of all their completions', () => {
    const build = (subset: readonly Event[]) => {
      const t = new TimelineRecorder(10_000, 1_000);
      subset.forEach((e, k) => {
        const at = (k * 10_000) / subset.length;
        t.recordOffered(at);
        t.recordCompleted(at, e.status === 200, e.latency);
      });
      return t.finish();
    };
    // Completions in time order within each segment (as a run records them), split over 4 segments.
    const stamped = events.map((e, k) => ({ ...e, at: (k * 10_000) / events.length }));
    const whole = new TimelineRecorder(10_000, 1_000);
    for (const e of stamped) {
      whole.recordOffered(e.at);
      whole.recordCompleted(e.at, e.status === 200, e.latency, e.cls + 1);
    }
    const parts = [0, 1, 2, 3].map((i) => {
      const t = new TimelineRecorder(10_000, 1_000);
      for (const e of stamped.filter((_, k) => k % 4 === i)) {
        t.recordOffered(e.at);
        t.recordCompleted(e.at, e.status === 200, e.latency, e.cls + 1);
      }
      return t.finish();
    });
    expect(build).toBeDefined();
    const merged = mergeTimelines(parts);
    const expected = whole.finish();
    const counts = (w: TimelineWindow) => ({ ...w, histogram: undefined, okHistogram: undefined });
    expect(merged.map(counts)).toEqual(expected.map(counts));
    expect(merged[3]!.attempts).toBe(expected[3]!.attempts);
    // The successes' histograms add up too: the same p99 of successes per window as one recorder's.
    const okP99 = (w: TimelineWindow): number => decodeHistogram(w.okHistogram!).getValueAtPercentile(99);
    expect(merged.map(okP99)).toEqual(expected.map(okP99));
  });
});
