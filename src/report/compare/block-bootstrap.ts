// The moving-block bootstrap (Künsch 1989) over a run's timeline windows: a resample of a series of n
// windows is ⌊n/L⌋ blocks of L consecutive windows and one block of the remaining n mod L, each block
// starting anywhere in the series, so a resample has exactly n windows and keeps the dependence between
// neighbours that a resampling of single windows (or of single requests) would throw away. A series may
// be cut into strata (the phases of a run): each is resampled within itself and the strata added, so
// a resample of a whole run still has each phase's share of windows.
//
// Resampled statistics are ratios of sums and percentiles of added histograms. Both are read without
// building anything per resample: every possible block's sums, and its histogram counts as cumulative
// counts over one grid of values, are computed once, so a resample costs a handful of additions per sum
// and, per percentile, a binary search over the grid that adds the chosen blocks' cumulative counts.
import { Random } from '../../core/random.js';

/** One window: additive quantities (the same number of them in every window) and histograms. */
export interface BootstrapWindow {
  sums: readonly number[];
  /** Each histogram as its recorded values and their counts, ascending (core/latency-histogram's recordedValues). */
  histograms: readonly (readonly (readonly [number, number])[])[];
}

/** What a statistic reads of one resample. */
export interface ResampleView {
  sum(key: number): number;
  /** Values recorded in histogram h across the resample. */
  count(h: number): number;
  /** The value at percentile p (0..100) of histogram h across the resample, as HDR reads it; null when empty. */
  percentile(h: number, p: number): number | null;
}

export interface BootstrapOptions {
  resamples: number;
  /** The random stream: the same seed and name, the same resamples. */
  seed: number;
  stream: string;
}

/** A stratum's windows, in time order, and the length of the blocks they are drawn in. */
export interface Stratum {
  windows: readonly BootstrapWindow[];
  blockLength: number;
}

/**
 * `statistic` of `options.resamples` resamples of the strata; out[i][k] is statistic k of resample i
 * (NaN where the statistic had nothing to read).
 */
export function blockBootstrap(
  strata: readonly Stratum[],
  statistic: (view: ResampleView) => readonly (number | null)[],
  options: BootstrapOptions,
): number[][] {
  const windows = strata.flatMap((s) => s.windows);
  if (windows.length === 0) throw new Error('blockBootstrap: no windows');
  const sumCount = windows[0]!.sums.length;
  const histogramCount = windows[0]!.histograms.length;
  const grids = Array.from({ length: histogramCount }, (_, h) => gridOf(windows.map((w) => w.histograms[h]!)));
  const tables = strata.filter((s) => s.windows.length > 0).map((s) => new StratumBlocks(s.windows, grids, sumCount, s.blockLength));
  const random = new Random(options.seed, options.stream);

  const chosen: { table: BlockTable; start: number }[] = [];
  const view: ResampleView = {
    sum: (key) => chosen.reduce((acc, c) => acc + c.table.sums[c.start * sumCount + key]!, 0),
    count: (h) => (grids[h]!.length === 0 ? 0 : countUpTo(chosen, h, grids[h]!.length - 1)),
    percentile: (h, p) => {
      const grid = grids[h]!;
      if (grid.length === 0) return null;
      const total = countUpTo(chosen, h, grid.length - 1);
      if (total === 0) return null;
      // As hdr-histogram-js: the first value whose cumulative count reaches ceil(p% of the total), at least 1.
      const wanted = Math.max(1, Math.ceil((Math.min(p, 100) / 100) * total - 1e-9));
      let lo = 0;
      let hi = grid.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (countUpTo(chosen, h, mid) >= wanted) hi = mid;
        else lo = mid + 1;
      }
      return grid[lo]!;
    },
  };

  const out: number[][] = [];
  for (let i = 0; i < options.resamples; i++) {
    chosen.length = 0;
    for (const stratum of tables) stratum.draw(random, chosen);
    out.push(statistic(view).map((v) => v ?? NaN));
  }
  return out;
}

function countUpTo(chosen: readonly { table: BlockTable; start: number }[], h: number, index: number): number {
  let total = 0;
  for (const c of chosen) {
    const cumulative = c.table.cumulative[h]!;
    total += cumulative.counts[c.start * cumulative.width + index]!;
  }
  return total;
}

/** Every value any window recorded in one histogram, ascending, once. */
function gridOf(histograms: readonly (readonly (readonly [number, number])[])[]): number[] {
  const values = new Set<number>();
  for (const h of histograms) for (const [value] of h) values.add(value);
  return [...values].sort((a, b) => a - b);
}

/** The sums and cumulative histogram counts of every block of one length in one stratum. */
interface BlockTable {
  length: number;
  /** Possible starts: n - length + 1. */
  starts: number;
  /** starts × sumCount. */
  sums: Float64Array;
  /** Per histogram: starts × grid width, each row cumulative over the grid. */
  cumulative: { width: number; counts: Float64Array }[];
}

class StratumBlocks {
  readonly #full: BlockTable;
  readonly #fullBlocks: number;
  readonly #rest: BlockTable | undefined;

  constructor(windows: readonly BootstrapWindow[], grids: readonly number[][], sumCount: number, blockWindows: number) {
    const n = windows.length;
    const length = Math.min(n, Math.max(1, Math.round(blockWindows)));
    this.#fullBlocks = Math.floor(n / length);
    this.#full = blockTable(windows, length, grids, sumCount);
    const rest = n - this.#fullBlocks * length;
    this.#rest = rest > 0 ? blockTable(windows, rest, grids, sumCount) : undefined;
  }

  draw(random: Random, into: { table: BlockTable; start: number }[]): void {
    for (let b = 0; b < this.#fullBlocks; b++) into.push({ table: this.#full, start: Math.floor(random.next() * this.#full.starts) });
    if (this.#rest) into.push({ table: this.#rest, start: Math.floor(random.next() * this.#rest.starts) });
  }
}

function blockTable(windows: readonly BootstrapWindow[], length: number, grids: readonly number[][], sumCount: number): BlockTable {
  const starts = windows.length - length + 1;
  const sums = new Float64Array(starts * sumCount);
  for (let s = 0; s < starts; s++) {
    for (let w = s; w < s + length; w++) for (let k = 0; k < sumCount; k++) sums[s * sumCount + k]! += windows[w]!.sums[k]!;
  }
  const cumulative = grids.map((grid, h) => {
    const width = grid.length;
    const indexOf = new Map(grid.map((value, i) => [value, i]));
    const counts = new Float64Array(starts * width);
    for (let s = 0; s < starts; s++) {
      const row = s * width;
      for (let w = s; w < s + length; w++) for (const [value, count] of windows[w]!.histograms[h]!) counts[row + indexOf.get(value)!]! += count;
      for (let i = 1; i < width; i++) counts[row + i]! += counts[row + i - 1]!;
    }
    return { width, counts };
  });
  return { length, starts, sums, cumulative };
}
