// A latency histogram as an HDR percentile plot: latency at percentile q, with q spread on a log scale of
// 1 / (1 - q) (0%, 90%, 99%, 99.9%, 99.99%, 99.999% equally apart), as HdrHistogram's own plots draw it,
// so the tail gets the room it needs. A fixed grid of points per decade keeps every curve the same size
// whatever the run's length: a 4-hour replay's plot is as small as a 25-second run's.
import { decodeHistogram } from '../../../core/latency-histogram.js';

/** Points per decade of 1 / (1 - q), and decades: q up to 99.999%. */
export const POINTS_PER_DECADE = 12;
export const DECADES = 5;

/** The x of every curve: 1 / (1 - q), from 1 (q = 0) to 10^5 (q = 99.999%). */
export function percentileGrid(): number[] {
  return Array.from({ length: POINTS_PER_DECADE * DECADES + 1 }, (_, k) => 10 ** (k / POINTS_PER_DECADE));
}

/** q in percent at an x of the grid, rounded to 12 digits so that 99.9 is 99.9 and not the bucket above it. */
export function percentileAt(x: number): number {
  return Number((100 - 100 / x).toPrecision(12));
}

/**
 * Latency (incident ms) at each x of the grid, read from the encoded histogram; null when it is empty.
 * Capped at the max, as the result's summaries are (core/latency-histogram.ts): `maxMs` is the exact one
 * the result keeps beside the histogram (a decoded histogram knows its max only to its bucket).
 */
export function percentileCurve(encoded: string, maxMs?: number): (number | null)[] {
  const histogram = decodeHistogram(encoded);
  const grid = percentileGrid();
  if (histogram.totalCount === 0) return grid.map(() => null);
  const max = maxMs === undefined ? histogram.maxValue : maxMs * 1000;
  return grid.map((x) => Math.min(histogram.getValueAtPercentile(percentileAt(x)), max) / 1000);
}
