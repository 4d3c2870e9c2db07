// A segment of a run: `--segment i/n` (0-based index i of n). Every segment builds the whole seeded
// schedule and keeps its share of it, striped as k6 stripes its execution segments: open-model arrival k
// belongs to segment k mod n, closed-model virtual user j to segment j mod n. Each segment's arrivals so
// stay evenly spread in time, and the n segments together are the single-process run, arrival for arrival.
import { UnitError } from './units.js';

export interface Segment {
  index: number;
  count: number;
}

/** The whole run: one segment of one. */
export const WHOLE: Segment = Object.freeze({ index: 0, count: 1 });

const EXPECTED = 'a segment such as "0/4" (its 0-based index, then how many there are: at most 10000)';

/** "i/n" -> a Segment; throws UnitError. */
export function parseSegment(raw: unknown): Segment {
  const m = typeof raw === 'string' ? /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw) : null;
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && count <= 10_000 && index >= 0 && index < count)) throw new UnitError(EXPECTED, raw);
  return { index, count };
}

/** Whether the k-th arrival (or user k) of the whole run belongs to `segment`. */
export function owns(segment: Segment, k: number): boolean {
  return k % segment.count === segment.index;
}

/**
 * The segment's share of `total` things of the run (its connections, its in-flight cap), striped as users
 * are: how many j < total have j mod n = i, and at least 1, so the segments together have the run's.
 */
export function shareOf(segment: Segment, total: number): number {
  if (!Number.isFinite(total)) return total;
  const share = Math.floor(total / segment.count) + (segment.index < total % segment.count ? 1 : 0);
  return Math.max(1, share);
}

export function formatSegment(segment: Segment): string {
  return `${segment.index}/${segment.count}`;
}

/**
 * Segment `inner` of the `outer` segment of a run, as a segment of the whole run: w of W within i of n is
 * i + n·w of n·W (arrival k is in it when k mod n = i and (k div n) mod W = w), so a process running
 * segment i of n in W worker threads splits exactly its own share.
 */
export function within(outer: Segment, inner: Segment): Segment {
  return { index: outer.index + outer.count * inner.index, count: outer.count * inner.count };
}
