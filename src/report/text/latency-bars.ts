// Latency histograms: the HDR histogram of each phase (microseconds) regrouped into readable,
// roughly log-spaced buckets (1-2-5 per decade, then 20s, 30s, 1m, 2m, 5m, ...) and drawn as horizontal
// bars with the count and the cumulative share. Every phase uses the same buckets, so phases can be
// read side by side; only the range that holds data is shown, in at most 12 rows. Unlike the phase
// table's latencies these are of every completed request, failures included (the one histogram the
// result JSON encodes), and the titles say so: a hump of fast failures shows here as its own bucket.
import { JsHistogram } from 'hdr-histogram-js';
import { decodeHistogram, type Histogram } from '../../core/latency-histogram.js';
import { formatDuration } from '../../core/units.js';
import type { PhaseResult } from '../../result/run-result.js';
import { horizontalBar, LEVELS } from './bar.js';
import { formatPercent } from './figures.js';
import { padEndVisible, padStartVisible, sectionTitle, truncate, type RenderOptions, type Style } from './style.js';

export const MAX_ROWS = 12;

const S = 1_000_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

function decades(multipliers: number[], belowUs: number): number[] {
  const edges: number[] = [];
  for (let decade = 1; decade < belowUs; decade *= 10) for (const m of multipliers) if (m * decade < belowUs) edges.push(m * decade);
  return edges;
}

/**
 * Bucket grids in microseconds, finest first: 1-2-5 per decade, then 1-3, then decades; past 10s each
 * goes on in steps a person reads without a calculator (30s, 1m, 5m, 1h, ...) rather than 50s or 100s.
 */
export const GRIDS_US: readonly (readonly number[])[] = [
  [
    ...decades([1, 2, 5], 10 * S),
    10 * S,
    20 * S,
    30 * S,
    MIN,
    2 * MIN,
    5 * MIN,
    10 * MIN,
    20 * MIN,
    30 * MIN,
    HOUR,
    2 * HOUR,
    5 * HOUR,
    10 * HOUR,
    24 * HOUR,
    48 * HOUR,
    168 * HOUR,
  ],
  [...decades([1, 3], 10 * S), 10 * S, 30 * S, MIN, 5 * MIN, 10 * MIN, 30 * MIN, HOUR, 3 * HOUR, 10 * HOUR, 24 * HOUR, 168 * HOUR],
  [...decades([1], 10 * S), 10 * S, MIN, 10 * MIN, HOUR, 10 * HOUR, 24 * HOUR, 168 * HOUR],
];

export interface LatencyBucket {
  /** Incident ms; the bucket holds latencies from `fromMs` up to (not including) `toMs`. */
  fromMs: number;
  toMs: number;
  count: number;
}

/** Every non-empty HDR slot: its (median equivalent) value in µs and its count, in increasing order. */
export function histogramCounts(histogram: Histogram): { valueUs: number; count: number }[] {
  if (!(histogram instanceof JsHistogram)) throw new Error('latency histogram: expected an hdr-histogram-js JsHistogram');
  const counts: { valueUs: number; count: number }[] = [];
  if (histogram.totalCount === 0) return counts;
  const last = histogram.countsArrayIndex(histogram.maxValue);
  for (let i = 0; i <= last && i < histogram.countsArrayLength; i++) {
    const count = histogram.getCountAtIndex(i);
    if (count > 0) counts.push({ valueUs: histogram.medianEquivalentValue(histogram.valueFromIndex(i)), count });
  }
  return counts;
}

/** Index of the grid bucket that holds a value: the last edge at or below it (0 for values under 1µs). */
function edgeIndex(grid: readonly number[], valueUs: number): number {
  let k = 0;
  while (k + 1 < grid.length && grid[k + 1]! <= valueUs) k++;
  return k;
}

/**
 * Bucket edges (µs) covering [minUs, maxUs] in at most `maxRows` buckets, from the finest grid that
 * manages it (the coarsest, merged pairwise, if none does). The first edge is 0 when the data starts
 * under 1µs.
 */
export function bucketEdges(minUs: number, maxUs: number, maxRows = MAX_ROWS): number[] {
  let edges: number[] = [];
  for (const grid of GRIDS_US) {
    const lo = edgeIndex(grid, minUs);
    const hi = edgeIndex(grid, maxUs);
    edges = grid.slice(lo, hi + 2);
    // Past the last edge (over a week): one more bucket reaching beyond the largest value.
    if (edges.length < hi - lo + 2) edges.push(Math.max(maxUs + 1, 2 * edges.at(-1)!));
    if (edges.length - 1 <= maxRows) break;
  }
  while (edges.length - 1 > maxRows) edges = edges.filter((_, i) => i % 2 === 0 || i === edges.length - 1);
  if (minUs < edges[0]!) edges[0] = 0;
  return edges;
}

/** The histogram's counts gathered into the given buckets; the counts add up to its totalCount. */
export function latencyBuckets(histogram: Histogram, edgesUs: readonly number[]): LatencyBucket[] {
  const buckets = edgesUs.slice(0, -1).map((from, i) => ({ fromMs: from / 1000, toMs: edgesUs[i + 1]! / 1000, count: 0 }));
  let k = 0;
  for (const { valueUs, count } of histogramCounts(histogram)) {
    while (k + 1 < buckets.length && edgesUs[k + 1]! <= valueUs) k++;
    buckets[k]!.count += count;
  }
  return buckets;
}

interface PhaseBars {
  phase: PhaseResult;
  total: number;
  buckets: LatencyBucket[];
}

export function renderLatencyBars(phases: readonly PhaseResult[], options: RenderOptions, style: Style): string {
  const histograms = phases.map((p) => decodeHistogram(p.histograms.latency));
  const recorded = histograms.filter((h) => h.totalCount > 0);
  const title = sectionTitle('latency', '(every completed request, failures included: count per bucket, cumulative %)', options.width, style);
  if (recorded.length === 0) return `${style.heading('latency')}\n${style.dim('no request completed: nothing to draw')}`;
  const minUs = Math.min(...recorded.map((h) => histogramCounts(h)[0]!.valueUs));
  const maxUs = Math.max(...recorded.map((h) => histogramCounts(h).at(-1)!.valueUs));
  const edges = bucketEdges(minUs, maxUs);
  const bars: PhaseBars[] = phases.map((phase, i) => ({ phase, total: histograms[i]!.totalCount, buckets: latencyBuckets(histograms[i]!, edges) }));
  const labels = bars[0]!.buckets.map((b) => bucketLabel(b));
  const sideBySide = renderColumns(title, labels, bars, options, style);
  if (sideBySide) return sideBySide;
  // Many phases (an incident replay has up to ten): one row each, or the section would run for pages.
  if (bars.length > MAX_STACKED) {
    const rows = renderRows(bars, edges, options, style);
    if (rows) return rows;
  }
  return renderStacked(title, labels, bars, options, style);
}

/** Beyond this many phases, stacked blocks give way to one row per phase. */
export const MAX_STACKED = 3;

/**
 * One row per phase, one column per bucket: each cell a level (▁..█) of the share of the phase's
 * completed requests in that bucket, scaled to the phase's fullest bucket; then n, p50 and p99.
 * Undefined when even that does not fit the width.
 */
function renderRows(bars: PhaseBars[], edgesUs: readonly number[], options: RenderOptions, style: Style): string | undefined {
  const heads = edgesUs.slice(0, -1).map((from) => (from === 0 ? '0' : formatDuration(from / 1000)));
  const cell = Math.max(3, ...heads.map((h) => h.length)) + 1;
  const nameWidth = Math.max(5, ...bars.map((b) => b.phase.name.length));
  // The figures after the bars, as many as fit: n, p50 and p99; then n alone; then nothing.
  const tails = [
    (b: PhaseBars): string => {
      const l = b.phase.latencyMs;
      return b.total === 0 ? 'none completed' : `n=${b.total}  p50 ${l ? formatDuration(l.p50) : '-'}  p99 ${l ? formatDuration(l.p99) : '-'}`;
    },
    (b: PhaseBars): string => `n=${b.total}`,
    (): string => '',
  ];
  const bars_ = nameWidth + 1 + heads.length * cell;
  const tail = tails.find((t) => bars_ + 1 + Math.max(...bars.map((b) => t(b).length)) <= options.width);
  if (!tail) return undefined;
  const title = sectionTitle(
    'latency',
    "(every completed request, failures included: each phase's share per bucket, from the lower edge shown; █ = its fullest bucket)",
    options.width,
    style,
  );
  const header = ' '.repeat(nameWidth + 1) + heads.map((h) => padEndVisible(h, cell)).join('');
  const rows = bars.map((b) => {
    const max = Math.max(...b.buckets.map((x) => x.count));
    const cells = b.buckets.map((x) => {
      if (x.count === 0) return ' '.repeat(cell);
      return style.accent(LEVELS[Math.min(7, Math.max(0, Math.ceil((x.count / max) * 8) - 1))]!.repeat(cell - 1)) + ' ';
    });
    return `${padEndVisible(b.phase.name, nameWidth)} ${cells.join('')} ${style.dim(tail(b))}`.trimEnd();
  });
  return [title, header.trimEnd(), ...rows].join('\n');
}

function bucketLabel(b: LatencyBucket): string {
  const from = b.fromMs === 0 ? '0' : formatDuration(b.fromMs);
  return `${from}–${formatDuration(b.toMs)}`;
}

const GAP = '  ';
const MIN_COLUMN_BAR = 8;

/** One block of columns per phase beside a shared label column; undefined when the width is too small. */
function renderColumns(title: string, labels: string[], bars: PhaseBars[], options: RenderOptions, style: Style): string | undefined {
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const countWidth = Math.max(...bars.map((b) => String(Math.max(...b.buckets.map((x) => x.count))).length));
  const pctWidth = 6;
  const fixed = labelWidth + bars.length * (GAP.length + 1 + countWidth + 1 + pctWidth);
  const barWidth = Math.floor((options.width - fixed) / bars.length);
  if (barWidth < MIN_COLUMN_BAR) return undefined;
  const blockWidth = barWidth + 1 + countWidth + 1 + pctWidth;
  const head =
    ' '.repeat(labelWidth) + bars.map((b) => GAP + padEndVisible(style.strong(truncate(`${b.phase.name} (n=${b.total})`, blockWidth)), blockWidth)).join('');
  const rows = labels.map((label, r) => {
    const cells = bars.map((b) => GAP + phaseCell(b, r, barWidth, countWidth, pctWidth, style));
    return (padEndVisible(label, labelWidth) + cells.join('')).trimEnd();
  });
  return [title, head.trimEnd(), ...rows].join('\n');
}

/** One block per phase, each with its own full-width bars. */
function renderStacked(title: string, labels: string[], bars: PhaseBars[], options: RenderOptions, style: Style): string {
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const blocks = bars.map((b) => {
    const countWidth = String(Math.max(...b.buckets.map((x) => x.count))).length;
    const pctWidth = 6;
    const barWidth = Math.max(1, options.width - labelWidth - GAP.length - 1 - countWidth - 1 - pctWidth);
    const head = style.strong(truncate(`${b.phase.name} (n=${b.total})`, options.width));
    if (b.total === 0) return `${head}\n${style.dim('no request completed')}`;
    const rows = labels.map((label, r) => (padEndVisible(label, labelWidth) + GAP + phaseCell(b, r, barWidth, countWidth, pctWidth, style)).trimEnd());
    return [head, ...rows].join('\n');
  });
  return [title, ...blocks].join('\n');
}

function phaseCell(b: PhaseBars, row: number, barWidth: number, countWidth: number, pctWidth: number, style: Style): string {
  const bucket = b.buckets[row]!;
  const max = Math.max(...b.buckets.map((x) => x.count));
  if (b.total === 0) return padEndVisible(row === 0 ? style.dim('none') : '', barWidth + 1 + countWidth + 1 + pctWidth);
  const first = b.buckets.findIndex((x) => x.count > 0);
  const last = b.buckets.findLastIndex((x) => x.count > 0);
  const blank = ' '.repeat(barWidth + 1 + countWidth + 1 + pctWidth);
  // Outside the range this phase has data in, nothing; a gap inside it shows its 0.
  if (row < first || row > last) return blank;
  const cumulative = b.buckets.slice(0, row + 1).reduce((sum, x) => sum + x.count, 0) / b.total;
  const bar = padEndVisible(horizontalBar(bucket.count, max, barWidth), barWidth);
  const count = padStartVisible(String(bucket.count), countWidth);
  return `${style.accent(bar)} ${bucket.count > 0 ? count : style.dim(count)} ${style.dim(padStartVisible(formatPercent(cumulative), pctWidth))}`;
}
