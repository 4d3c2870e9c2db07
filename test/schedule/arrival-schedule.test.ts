import { describe, expect, it } from 'vitest';
import { ArrivalSchedule, timeForArea } from '../../src/schedule/arrival-schedule.js';
import { phaseArea, type Phase } from '../../src/schedule/phase.js';

const open = (name: string, durationMs: number, from: number, to = from): Phase => ({ kind: 'open', name, durationMs, from, to });

function countsPerPhase(phases: Phase[], arrivals: 'uniform' | 'poisson', seed = 1): number[] {
  const { phase } = ArrivalSchedule.collect(phases, { arrivals, seed });
  const counts = phases.map(() => 0);
  for (const p of phase) counts[p]!++;
  return counts;
}

describe('uniform arrivals: counts are the area under the rate curve', () => {
  it('a constant phase gives rate × duration', () => {
    expect(countsPerPhase([open('c', 10_000, 50)], 'uniform')).toEqual([500]);
  });

  it('a linear ramp gives the trapezoid area, ±1', () => {
    const phases = [open('ramp', 30_000, 50, 500)];
    const area = phaseArea(phases[0] as never); // (50 + 500) / 2 × 30 = 8250
    expect(area).toBe(8250);
    expect(Math.abs(countsPerPhase(phases, 'uniform')[0]! - area)).toBeLessThanOrEqual(1);
  });

  it('ramps down to zero and up from zero', () => {
    for (const phases of [[open('down', 7_000, 13, 0)], [open('up', 7_000, 0, 13)]]) {
      const area = (13 * 7) / 2;
      expect(Math.abs(countsPerPhase(phases, 'uniform')[0]! - area)).toBeLessThanOrEqual(1);
    }
  });

  it('fractional arrivals carry across phases: each phase ±1, the run ±1', () => {
    // 2.5 arrivals per phase: a per-phase floor would lose 2 of the 10 in total.
    const phases = [open('a', 1_000, 2.5), open('b', 1_000, 2.5), open('c', 1_000, 2.5), open('d', 1_000, 2.5)];
    const counts = countsPerPhase(phases, 'uniform');
    for (const c of counts) expect(Math.abs(c - 2.5)).toBeLessThanOrEqual(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('many ramps of awkward sizes: every phase within ±1 of its area, the total within ±1', () => {
    const phases: Phase[] = [];
    for (let i = 0; i < 40; i++) phases.push(open(`p${i}`, 333 + i * 97, (i * 7.3) % 41, (((i + 5) * 3.7) % 59) + 0.1));
    const counts = countsPerPhase(phases, 'uniform');
    let total = 0;
    phases.forEach((p, i) => {
      const area = phaseArea(p as never);
      total += area;
      expect(Math.abs(counts[i]! - area)).toBeLessThanOrEqual(1);
    });
    expect(Math.abs(counts.reduce((a, b) => a + b, 0) - total)).toBeLessThanOrEqual(1);
  });

  it('spacing is even at constant rate and times are non-decreasing and inside their phase', () => {
    const phases = [open('a', 1_000, 10), open('b', 2_000, 10, 100)];
    const { at, phase } = ArrivalSchedule.collect(phases, { arrivals: 'uniform', seed: 1 });
    for (let i = 1; i < 10; i++) expect(at[i]! - at[i - 1]!).toBeCloseTo(100, 9);
    for (let i = 1; i < at.length; i++) expect(at[i]!).toBeGreaterThanOrEqual(at[i - 1]!);
    at.forEach((t, i) => {
      const start = phase[i] === 0 ? 0 : 1_000;
      expect(t).toBeGreaterThanOrEqual(start);
      expect(t).toBeLessThan(start + (phase[i] === 0 ? 1_000 : 2_000));
    });
  });

  it('the instantaneous spacing on a ramp follows the rate: gaps shrink as the rate rises', () => {
    const { at } = ArrivalSchedule.collect([open('r', 10_000, 10, 100)], { arrivals: 'uniform', seed: 1 });
    const early = at[2]! - at[1]!;
    const late = at[at.length - 1]! - at[at.length - 2]!;
    expect(early).toBeGreaterThan(80); // rate ≈ 10/s near the start: ~100 ms apart
    expect(late).toBeLessThan(11); // rate ≈ 100/s at the end: ~10 ms apart
  });

  it('closed-model phases produce no arrivals and shift later phases in time', () => {
    const phases: Phase[] = [open('a', 1_000, 10), { kind: 'closed', name: 'vu', durationMs: 5_000, vus: 3 }, open('b', 1_000, 10)];
    const { at, phase } = ArrivalSchedule.collect(phases, { arrivals: 'uniform', seed: 1 });
    expect(phase.filter((p) => p === 1)).toHaveLength(0);
    const firstB = at[phase.indexOf(2)]!;
    expect(firstB).toBeGreaterThanOrEqual(6_000);
    expect(firstB).toBeLessThan(6_100);
  });
});

describe('poisson arrivals', () => {
  it('gaps at a constant rate have the exponential mean and variance (within 4 standard errors)', () => {
    const rate = 200; // per second -> mean gap 5 ms, variance 25 ms²
    const n = 20_000;
    const { at } = ArrivalSchedule.collect([open('p', (n / rate) * 1000, rate)], { arrivals: 'poisson', seed: 42 });
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const variance = gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / (gaps.length - 1);
    // Exp(mean 5): the sample mean has standard error 5/sqrt(n) ≈ 0.035 ms; the sample variance of an
    // exponential has standard error sqrt(8)·σ²/sqrt(n) ≈ 0.5 ms². 4 SE keeps false alarms under 1e-4.
    expect(Math.abs(mean - 5)).toBeLessThan((4 * 5) / Math.sqrt(gaps.length));
    expect(Math.abs(variance - 25)).toBeLessThan((4 * Math.sqrt(8) * 25) / Math.sqrt(gaps.length));
  });

  it('counts over a ramp match the area within Poisson noise (4 sqrt(area))', () => {
    const phases = [open('ramp', 60_000, 10, 300)];
    const area = phaseArea(phases[0] as never); // 9300
    for (const seed of [1, 2, 3]) {
      const count = countsPerPhase(phases, 'poisson', seed)[0]!;
      expect(Math.abs(count - area)).toBeLessThan(4 * Math.sqrt(area));
    }
  });

  it('the same seed gives an identical schedule; another seed a different one', () => {
    const phases = [open('a', 5_000, 40), open('b', 5_000, 40, 400)];
    const a = ArrivalSchedule.collect(phases, { arrivals: 'poisson', seed: 7 });
    const b = ArrivalSchedule.collect(phases, { arrivals: 'poisson', seed: 7 });
    const c = ArrivalSchedule.collect(phases, { arrivals: 'poisson', seed: 8 });
    expect(b.at).toEqual(a.at);
    expect(b.phase).toEqual(a.phase);
    expect(c.at).not.toEqual(a.at);
  });
});

describe('timeForArea', () => {
  it('inverts the area of a ramp, including decreasing ones', () => {
    for (const [r0, slope] of [
      [1, 0],
      [0, 0.01],
      [2, -0.001],
      [0.5, 1e-9],
    ] as const) {
      for (const tau of [0.5, 10, 100]) {
        const area = r0 * tau + (slope * tau * tau) / 2;
        if (area <= 0) continue;
        expect(timeForArea(r0, slope, area)).toBeCloseTo(tau, 6);
      }
    }
  });
});
