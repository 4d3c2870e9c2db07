// A phase recorded with a request mix keeps its histograms only in its classes; its own figures, merged
// from them, must be exactly those of the same events recorded without a mix.
import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/core/latency-histogram.js';
import { PhaseRecorder } from '../../src/record/phase-recorder.js';
import { Random } from '../../src/core/random.js';
import { outcomeOf } from '../support/recording.js';

/** The same seeded events into `phase` (each with its class, which the phase passes on to its class with a mix). */
function record(phase: PhaseRecorder): void {
  const random = new Random(5, 'events');
  for (let i = 0; i < 3_000; i++) {
    const cls = i % 3 === 0 ? 0 : 1;
    const [lag, status, latency] = [random.next() * 2, random.next() < 0.2 ? 503 : 200, random.exponential(100)];
    phase.recordOffered(cls);
    if (i % 50 === 0) {
      phase.recordDropped(cls);
      continue;
    }
    phase.recordSent(lag, cls);
    phase.recordAttempt(false, cls);
    phase.recordOutcome(outcomeOf(status), latency, latency / 2, cls);
  }
}

describe('PhaseRecorder with a request mix', () => {
  const plain = new PhaseRecorder({ name: 'p', model: 'open', startMs: 0, durationMs: 10_000 });
  const mixed = new PhaseRecorder({ name: 'p', model: 'open', startMs: 0, durationMs: 10_000, classNames: ['a', 'b'] });
  record(plain);
  record(mixed);
  const [withoutMix, withMix] = [plain.result(), mixed.result()];

  it('gives the phase exactly the figures it has without one', () => {
    const { mix, histograms, ...figures } = withMix;
    const { histograms: plainHistograms, ...plainFigures } = withoutMix;
    expect(figures).toEqual(plainFigures);
    for (const kind of ['latency', 'ok', 'service', 'sendLag'] as const) {
      const [h, g] = [decodeHistogram(histograms[kind]), decodeHistogram(plainHistograms[kind])];
      expect(h.totalCount).toBe(g.totalCount);
      for (const q of [1, 50, 90, 99, 99.9, 100]) expect(h.getValueAtPercentile(q)).toBe(g.getValueAtPercentile(q));
    }
    expect(mix).toHaveLength(2);
  });

  it('and each class its own share of them', () => {
    const [a, b] = withMix.mix!;
    expect(a!.offered + b!.offered).toBe(withMix.offered);
    expect(a!.ok + b!.ok).toBe(withMix.ok);
    expect(a!.dropped + b!.dropped).toBe(withMix.dropped);
    expect(decodeHistogram(a!.histograms.latency).totalCount + decodeHistogram(b!.histograms.latency).totalCount).toBe(
      decodeHistogram(withMix.histograms.latency).totalCount,
    );
  });
});
