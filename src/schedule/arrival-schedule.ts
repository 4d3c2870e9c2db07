// Intended send times of an open-model run, pure and timer-free (Vegeta's pacer, k6's ramping arrival
// rate). The cumulative number of arrivals expected by time t is the area A(t) under the rate curve,
// piecewise linear across phases:
//
//   rate                          A(t) = ∫ rate
//    │        ╱‾‾‾‾‾‾             arrival k (k = 0, 1, 2, ...) is sent when A(t) = a_k, where
//    │      ╱                       uniform:  a_k = k                (exact area, even spacing)
//    │‾‾‾‾╱                         poisson:  a_k = a_{k-1} + Exp(1) (a non-homogeneous Poisson process,
//    └──────────────── t                                              by inverting its mean function)
//
// Because a_k runs across phase boundaries, fractional arrivals carry from one phase to the next (as
// k6 does): a phase gets its area ±1, the run gets its total area ±1. Closed-model phases contribute no
// arrivals; the open-model clock simply passes over them.
//
// Within a phase of length T ramping from r0 to r1 (per ms, s = (r1 - r0) / T), the area after τ is
// r0·τ + s·τ²/2; solving for τ given an area a uses τ = 2a / (r0 + sqrt(r0² + 2·s·a)), the form that
// stays accurate when s is tiny or negative.

import { Random } from '../core/random.js';
import { placePhases, type Phase, type PlacedPhase } from './phase.js';

export type ArrivalProcess = 'uniform' | 'poisson';

interface Segment {
  phase: number;
  startMs: number;
  durationMs: number;
  /** Rates in arrivals per incident ms. */
  r0: number;
  slope: number;
  /** Cumulative area at the start of the segment, and the segment's own area. */
  areaBefore: number;
  area: number;
}

export class ArrivalSchedule {
  readonly phases: readonly PlacedPhase[];
  readonly totalArea: number;
  #segments: Segment[];
  #process: ArrivalProcess;
  #random: Random;
  #segment = 0;
  #nextArea = 0;
  #phase = -1;

  constructor(phases: readonly Phase[], options: { arrivals: ArrivalProcess; seed: number }) {
    this.phases = placePhases(phases);
    this.#process = options.arrivals;
    this.#random = new Random(options.seed, 'arrivals');
    let area = 0;
    this.#segments = [];
    for (const p of this.phases) {
      if (p.kind !== 'open') continue;
      const r0 = p.from / 1000;
      const r1 = p.to / 1000;
      const segArea = ((r0 + r1) / 2) * p.durationMs;
      this.#segments.push({
        phase: p.index,
        startMs: p.startMs,
        durationMs: p.durationMs,
        r0,
        slope: p.durationMs > 0 ? (r1 - r0) / p.durationMs : 0,
        areaBefore: area,
        area: segArea,
      });
      area += segArea;
    }
    this.totalArea = area;
    this.#nextArea = this.#process === 'poisson' ? this.#random.exponential(1) : 0;
  }

  /** Phase index of the arrival last returned by next(). */
  get phase(): number {
    return this.#phase;
  }

  /**
   * Incident ms of the next intended arrival, or Infinity when the schedule is exhausted. Allocation-free:
   * the phase of the returned arrival is read from `phase`.
   */
  next(): number {
    const a = this.#nextArea;
    const segments = this.#segments;
    let i = this.#segment;
    // Advance past segments that end at or before this area (a half-open [start, end) per segment).
    while (i < segments.length && a >= segments[i]!.areaBefore + segments[i]!.area) i++;
    this.#segment = i;
    if (i >= segments.length) return Infinity;
    const seg = segments[i]!;
    const local = a - seg.areaBefore;
    const tau = timeForArea(seg.r0, seg.slope, local);
    this.#phase = seg.phase;
    this.#nextArea = this.#process === 'poisson' ? a + this.#random.exponential(1) : a + 1;
    // Guard against rounding pushing an arrival past its segment's end.
    return seg.startMs + Math.min(tau, seg.durationMs);
  }

  /** All intended arrival times (for tests and small plans; the runner pulls with next()). */
  static collect(phases: readonly Phase[], options: { arrivals: ArrivalProcess; seed: number }): { at: number[]; phase: number[] } {
    const schedule = new ArrivalSchedule(phases, options);
    const at: number[] = [];
    const phase: number[] = [];
    for (let t = schedule.next(); t !== Infinity; t = schedule.next()) {
      at.push(t);
      phase.push(schedule.phase);
    }
    return { at, phase };
  }
}

/** τ such that r0·τ + slope·τ²/2 = area (area within the segment, so the root exists). */
export function timeForArea(r0: number, slope: number, area: number): number {
  if (area <= 0) return 0;
  if (slope === 0) return r0 > 0 ? area / r0 : Infinity;
  const disc = r0 * r0 + 2 * slope * area;
  return (2 * area) / (r0 + Math.sqrt(Math.max(0, disc)));
}
