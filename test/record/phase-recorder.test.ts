// A phase recorded with a request mix keeps its histograms only in its classes; its own figures, merged
// from them, must be exactly those of the same events recorded without a mix.
import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/record/latency-histogram.js';
import { PhaseRecorder } from '../../src/record/phase-recorder.js';
import { Random } from '../../src/core/random.js';

/** The same seeded events into `phase` (and, as RunRecorder does, into the event's class). */
function record(phase: PhaseRecorder): void {
  const random = new Random(5, 'events');
  for (let i = 0; i < 3_000; i++) {
    const cls = i % 3 === 0 ? 0 : 1;
    const [lag, status, latency] = [random.next() * 2, random.next() < 0.2 ? 503 : 200, random.exponential(100)];
    for (const p of [phase, phase.classes?.[cls]].filter((x): x is PhaseRecorder => x !== undefined)) {
      p.recordOffered();
      if (i % 50 === 0) {
        p.recordDropped();
        continue;
      }
      p.recordSent(lag);
      p.recordAttempt(false);
      p.recordOutcome(status, undefined, latency, latency / 2);
    }
  }
}

describe('PhaseRecorder with a request mix', () => {
  const plain = new PhaseRecorder('p', 'open', 0, 10_000);
  const mixed = new PhaseRecorder('p', 'open', 0, 10_000, undefined, ['a', 'b']);
  record(plain);
  record(mixed);
  const [withoutMix, withMix] = [plain.result(), mixed.result()];

  it('gives the phase exactly the figures it has without one', () => {
    const { mix, histogram, ...figures } = withMix;
    const { histogram: plainHistogram, ...plainFigures } = withoutMix;
    expect(figures).toEqual(plainFigures);
    const [h, g] = [decodeHistogram(histogram), decodeHistogram(plainHistogram)];
    expect(h.totalCount).toBe(g.totalCount);
    for (const q of [1, 50, 90, 99, 99.9, 100]) expect(h.getValueAtPercentile(q)).toBe(g.getValueAtPercentile(q));
    expect(mix).toHaveLength(2);
  });

  it('and each class its own share of them', () => {
    const [a, b] = withMix.mix!;
    expect(a!.offered + b!.offered).toBe(withMix.offered);
    expect(a!.ok + b!.ok).toBe(withMix.ok);
    expect(a!.dropped + b!.dropped).toBe(withMix.dropped);
    expect(decodeHistogram(a!.histogram).totalCount + decodeHistogram(b!.histogram).totalCount).toBe(decodeHistogram(withMix.histogram).totalCount);
  });
});
