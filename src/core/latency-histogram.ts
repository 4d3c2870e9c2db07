// HDR histograms of latency in microseconds (3 significant digits), as hdr-histogram-js provides them,
// plus the two things the rest of the code needs from them: a summary in milliseconds and a lossless
// text encoding for the result JSON (so results merge and compare later without the raw samples).
import * as hdr from 'hdr-histogram-js';
import type { Histogram, JsHistogram } from 'hdr-histogram-js';
import { decodeBoundedHistogram, type DecodeBudget } from './histogram-decode.js';

export type { Histogram };

/** Latency percentiles in incident ms; a summary is null when nothing was recorded. */
export interface LatencySummary {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export function createHistogram(): Histogram {
  // One hour of incident time to start with; autoResize grows it if a run records longer latencies.
  return hdr.build({ numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, autoResize: true });
}

/** Records a latency given in (fractional) milliseconds. */
export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(ms > 0 ? Math.round(ms * 1000) : 0);
}

/** Summary in milliseconds, or null when nothing was recorded. */
/** The percentiles a summary gives, ascending (0: the minimum). */
const SUMMARY_PERCENTILES = [0, 50, 90, 95, 99, 99.9] as const;

export function summarize(histogram: Histogram): LatencySummary | null {
  const h = histogram as JsHistogram;
  const total = h.totalCount;
  if (total === 0) return null;
  // Percentiles are the highest value equivalent to their bucket (within 0.1%), max is exact: cap them
  // so p99.9 never reads above max. The mean is of bucket midpoints, so when every value sits in one
  // bucket (requests that all timed out at 5 minutes) it can fall outside [min, max]: keep it inside, as
  // a saved result is read back (compare) only if its summaries are consistent.
  //
  // One walk over the buckets between the smallest and the largest value gives every percentile and the
  // mean, each exactly as hdr-histogram-js's getValueAtPercentile and mean compute it (same count
  // targets, same order of summation); those walk every bucket from the first (some 23,000 here) once
  // per figure, through an iterator that allocates, which made a long run's summaries cost seconds.
  const max = h.maxValue;
  const targets = SUMMARY_PERCENTILES.map((p) => {
    const fp = (p / 100) * total;
    return Math.max(Math.ceil(fp - ulp(fp)), 1);
  });
  const values: number[] = [];
  let cumulative = 0;
  let sum = 0;
  const from = h.getCountAtIndex(0) > 0 ? 0 : h.countsArrayIndex(h.minNonZeroValue);
  const to = h.countsArrayIndex(max);
  for (let i = from; i <= to; i++) {
    const count = h.getCountAtIndex(i);
    if (count === 0) continue;
    const value = h.valueFromIndex(i);
    cumulative += count;
    sum += h.medianEquivalentValue(value) * count;
    while (values.length < targets.length && cumulative >= targets[values.length]!)
      values.push(values.length === 0 ? h.lowestEquivalentValue(value) : h.highestEquivalentValue(value));
  }
  const at = (k: number): number => Math.min(values[k] ?? 0, max) / 1000;
  const min = at(0);
  return {
    min,
    mean: Math.min(Math.max(sum / total / 1000, min), max / 1000),
    p50: at(1),
    p90: at(2),
    p95: at(3),
    p99: at(4),
    p999: at(5),
    max: max / 1000,
  };
}

/** hdr-histogram-js's unit in the last place, for its percentile count targets. */
function ulp(x: number): number {
  return Math.pow(2, Math.floor(Math.log2(x)) - 52);
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/**
 * The histogram an encoding holds, its cost bounded first (histogram-decode.ts): a file may have been
 * written by anyone. `budget` is shared by the histograms of one file.
 */
export function decodeHistogram(encoded: string, budget?: DecodeBudget): Histogram {
  return decodeBoundedHistogram(encoded, budget);
}

/** A new histogram holding everything in the given ones. */
export function mergeHistograms(histograms: readonly Histogram[]): Histogram {
  const merged = createHistogram();
  for (const h of histograms) merged.add(h);
  return merged;
}

/**
 * What a histogram holds, ascending: each bucket recorded in, as its highest equivalent value (µs, what
 * getValueAtPercentile answers) and its count. For code that adds up many histograms' counts without
 * building a histogram for each sum (compare's resampling of timeline windows).
 */
export function recordedValues(histogram: Histogram): [value: number, count: number][] {
  // createHistogram and decodeHistogram build JavaScript histograms (never WebAssembly), whose counts
  // are read directly: between the smallest and the largest value only (its iterator walks every bucket).
  const h = histogram as JsHistogram;
  const out: [number, number][] = [];
  if (h.totalCount === 0) return out;
  const from = h.getCountAtIndex(0) > 0 ? 0 : h.countsArrayIndex(h.minNonZeroValue);
  const to = h.countsArrayIndex(h.maxValue);
  for (let i = from; i <= to; i++) {
    const count = h.getCountAtIndex(i);
    if (count > 0) out.push([h.highestEquivalentValue(h.valueFromIndex(i)), count]);
  }
  return out;
}
