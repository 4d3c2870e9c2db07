// The run cut into equal windows of incident time: what was offered, what finished and how fast, and
// (against the bundled mock) what the service looked like. Arrivals count in the window of their
// intended send; completions in the window they finished in, so a backlog shows as offered now and
// failed later, the way an operator's dashboard shows it. The timeline covers the run's planned length
// and no more: requests that finish while the run drains after its schedule count in the last window
// (which is only as long as the windows are: however long the drain, or however high --speed makes its
// incident length, no window is added after the end).
import type { MockSample, TimelineWindow } from '../result/run-result.js';
import { createHistogram, encodeHistogram, recordedValues, recordMs } from '../core/latency-histogram.js';

/** A window in which nothing completed (until it closes, every window). */
const EMPTY = encodeHistogram(createHistogram());

// Window sizes a person reads without a calculator, in incident ms.
const NICE_WINDOWS_MS = [
  1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 180_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/** Windows a run gets by its length alone: at most this many. */
const RUN_WINDOWS = 80;
/** Windows a phase should have: compare judges a phase's differences from its own windows alone. */
const PHASE_WINDOWS = 20;
/** However short the phases, at most this many windows in all (each keeps two histograms). */
const MOST_WINDOWS = 400;

export interface WindowNeeds {
  /** The shortest phase's length (incident ms): the windows are made finer until it has 20. */
  shortestPhaseMs?: number;
  /** No finer than this for a phase's sake (incident ms): the mock's state is sampled once a window. */
  finestMs?: number;
}

/**
 * The window of a run of `totalMs`: the smallest readable one that gives at most 80 windows (successive
 * sizes differ by at most 2.5x, so a run gets at least 32: 30 is the floor the report needs to draw a
 * shape); then finer, while the shortest phase has fewer than 20 windows of it, as long as the run keeps
 * at most 400 and a window is no shorter than `finestMs`. A run of a 20-minute phase among 3 hours of
 * them (a replay) gets 30-second windows rather than 3-minute ones, and so 40 in that phase, not 6.
 */
export function chooseWindowMs(totalMs: number, needs: WindowNeeds = {}): number {
  let i = NICE_WINDOWS_MS.findIndex((w) => totalMs / w <= RUN_WINDOWS);
  if (i < 0) return Math.ceil(totalMs / RUN_WINDOWS);
  const shortest = needs.shortestPhaseMs ?? totalMs;
  const finest = needs.finestMs ?? 0;
  while (i > 0 && shortest / NICE_WINDOWS_MS[i]! < PHASE_WINDOWS) {
    const finer = NICE_WINDOWS_MS[i - 1]!;
    if (totalMs / finer > MOST_WINDOWS || finer < finest) break;
    i--;
  }
  return NICE_WINDOWS_MS[i]!;
}

export class TimelineRecorder {
  readonly windowMs: number;
  readonly #count: number;
  #windows: TimelineWindow[] = [];
  /** Windows before this index are closed: their percentiles are final. */
  #closed = 0;
  #histogram = createHistogram();
  #okHistogram = createHistogram();
  /**
   * Each closed window's latencies as recorded — (value, count) per bucket, every request and the
   * successes — until finish() encodes them. Encoding (a full scan of the counts and a deflate, about a
   * millisecond each, several on a cold first call) at each window's close would stall the run's loop at
   * every window boundary, and arrivals due then would be sent late.
   */
  #held: [all: [number, number][], ok: [number, number][]][] = [];

  constructor(totalMs: number, windowMs = chooseWindowMs(totalMs)) {
    this.windowMs = windowMs;
    this.#count = Math.max(1, Math.ceil(totalMs / windowMs));
    for (let i = 0; i < this.#count; i++) this.#window(i);
  }

  recordOffered(t: number): void {
    this.#window(this.#index(t)).offered++;
  }

  recordDropped(t: number): void {
    this.#window(this.#index(t)).dropped++;
  }

  /** A request finished at incident time t after `attempts` attempts (completions arrive in time order). */
  recordCompleted(t: number, ok: boolean, latencyMs: number, attempts = 1): void {
    const i = this.#index(t);
    this.closeBefore(i);
    const w = this.#window(i);
    if (ok) {
      w.ok++;
      recordMs(this.#okHistogram, latencyMs);
    } else w.failed++;
    w.attempts = (w.attempts ?? 0) + attempts;
    recordMs(this.#histogram, latencyMs);
  }

  attachMock(index: number, sample: MockSample): void {
    const w = this.#windows[index];
    if (w) w.mock = sample;
  }

  /** Closes every window that ends at or before incident time t; returns the index of the window holding t. */
  closeUntil(t: number): number {
    const i = this.#index(t);
    this.closeBefore(i);
    return i;
  }

  /** Closes windows before index i, fixing their p50/p99. */
  closeBefore(i: number): void {
    while (this.#closed < i) {
      const w = this.#window(this.#closed);
      this.#held[this.#closed] = [recordedValues(this.#histogram), recordedValues(this.#okHistogram)];
      this.#okHistogram.reset();
      if (this.#histogram.totalCount > 0) {
        w.p50 = this.#histogram.getValueAtPercentile(50) / 1000;
        w.p99 = this.#histogram.getValueAtPercentile(99) / 1000;
        this.#histogram.reset();
      }
      this.#closed++;
    }
  }

  get closedCount(): number {
    return this.#closed;
  }

  /** Incident time at which the next window closes; Infinity once only the last is open (it closes at finish). */
  nextCloseMs(): number {
    return this.#closed + 1 < this.#count ? (this.#closed + 1) * this.windowMs : Infinity;
  }

  /** Every window of the run, each closed, its histograms encoded. */
  finish(): TimelineWindow[] {
    this.closeBefore(this.#windows.length);
    const scratch = createHistogram();
    const encode = (values: [number, number][]): string => {
      if (values.length === 0) return EMPTY;
      scratch.reset();
      for (const [value, count] of values) scratch.recordValueWithCount(value, count);
      return encodeHistogram(scratch);
    };
    for (const [i, held] of this.#held.entries()) {
      if (!held) continue;
      const w = this.#windows[i]!;
      w.histogram = encode(held[0]);
      w.okHistogram = encode(held[1]);
    }
    this.#held = [];
    return this.#windows;
  }

  /** Closed windows so far (for live progress). */
  closedWindows(): readonly TimelineWindow[] {
    return this.#windows.slice(0, this.#closed);
  }

  /** The window holding incident time t; times at or after the end fall in the last window. */
  #index(t: number): number {
    return Math.min(this.#count - 1, Math.max(0, Math.floor(t / this.windowMs)));
  }

  #window(i: number): TimelineWindow {
    while (this.#windows.length <= i) {
      const n = this.#windows.length;
      this.#windows.push({
        t: n * this.windowMs,
        durationMs: this.windowMs,
        offered: 0,
        ok: 0,
        failed: 0,
        dropped: 0,
        attempts: 0,
        p50: null,
        p99: null,
        histogram: EMPTY,
        okHistogram: EMPTY,
      });
    }
    return this.#windows[i]!;
  }
}
