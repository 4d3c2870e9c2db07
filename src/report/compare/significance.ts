// Is a difference between two runs real, or within the noise of a run? Requests within a run are not
// independent (a queue that builds up slows every request behind it), so a test that counts requests as
// samples (autocannon-compare's t-test) is far too sure of itself. Here the unit is the timeline window:
// each run's windows of the phase are resampled in blocks of consecutive windows (block-bootstrap.ts),
// or both together when they share their windows (judgeRow), the figure recomputed from the resampled
// counts and histograms, and an interval of the difference (later − first in points for success,
// later ÷ first for the rest) drawn from the resampled differences: their median ± t standard
// deviations (widening). The difference is "real" when the interval leaves out no difference (0 points,
// a ratio of 1), "noise" when it does not, and "insufficient" when there are too few windows, what the
// figure needs is not in them, or they depend on each other too far to judge. docs/compare-significance.md
// says what this assumes and how often it is wrong.
import { decodeHistogram, recordedValues } from '../../core/latency-histogram.js';
import type { PhaseResult, RunResult, TimelineWindow } from '../../result/run-result.js';
import { blockBootstrap, type BootstrapWindow, type ResampleView } from './block-bootstrap.js';
import { chooseBlockLength, type BlockChoice } from './block-length.js';
import { SAME_POINTS, SAME_RATIO, type Metric } from './difference.js';
import { normalQuantile } from './distributions.js';
import { judgeGoodputCounts, judgeSuccessCounts, type RowCounts } from './effective-count.js';

export const CONFIDENCE = 0.95;
/**
 * The level at which `compare --fail-on` breaks a rule: stricter than the table's, because a gate checks
 * every phase and the total, for every rule, on every commit, and a false alarm there is a red build.
 */
export const GATE_CONFIDENCE = 0.99;
export const RESAMPLES = 1000;
/** Fewer windows than this in a phase of either run: "insufficient" rather than a guess. */
export const MIN_WINDOWS = 8;
/** The resamples' seed (each run and row has a stream of its own): the same results, the same verdicts. */
const SEED = 13;
/** A figure missing from more than this share of resamples (no successes in them) is "insufficient". */
const MAX_MISSING_SHARE = 0.05;

/**
 * "needs-repeats": one run a side cannot support a verdict on this figure (a latency percentile: how
 * far a rerun's would move is not in one run's windows); compare --repeat K can.
 */
export type SignificanceVerdict = 'real' | 'noise' | 'insufficient' | 'needs-repeats';

/**
 * How the verdict was reached: the block bootstrap of one run's windows a side (attempts per request),
 * counts at an effective sample size (success and goodput, effective-count.ts), Welch's t between
 * repeated runs (between-runs.ts), or none (needs-repeats, insufficient before any method applied).
 */
export type SignificanceMethod = 'block-bootstrap' | 'effective-count' | 'between-runs' | 'none';

export interface Significance {
  verdict: SignificanceVerdict;
  confidence: number;
  /**
   * The interval of the difference: later − first in percentage points for success (within ±100),
   * later ÷ first for the rest (within 0 and ∞; an unbounded end is null in the JSON); null when there
   * is no verdict.
   */
  interval: [number, number] | null;
  method: SignificanceMethod;
  resamples: number;
  /** Windows in the first run and in the later one (a total: every phase's, each phase resampled within itself); of their first runs when repeated. */
  windows: [number, number];
  /** Runs on each side: [1, 1] unless repeated. */
  runs?: [number, number];
  /** Effective-count verdicts: the independent trials each side's requests were judged to be worth. */
  effectiveSize?: [number, number];
  /** Between-run verdicts: the degrees of freedom of Welch's t. */
  df?: number;
  /** Both runs resampled at the same blocks of windows (they had the same windows), or each on its own. */
  paired?: boolean;
  /** Why the verdict is "insufficient" or "needs-repeats". */
  reason?: string;
  /** The same interval at the gate's level (GATE_CONFIDENCE): --fail-on breaks a rule only when it too leaves out no difference. */
  gate?: { confidence: number; interval: [number, number] };
}

/** Which rows of the comparison a run's windows are resampled for. */
export type RowScope = { kind: 'phase'; name: string } | { kind: 'total' } | { kind: 'class' };

/** One run's resamples of one row: each figure's value in every resample (NaN: none in it), or why there are none. */
export type RowResamples =
  | {
      ok: true;
      windows: number;
      /** Blocks in a resample (every stratum's): how many nearly independent pieces the run had. */
      blocks: number;
      values: Partial<Record<Metric, Float64Array>>;
      missing: Partial<Record<Metric, string>>;
    }
  | { ok: false; windows: number; reason: string };

const METRICS: readonly Metric[] = ['success', 'goodput', 'p50', 'p99', 'allP50', 'allP99', 'amplification'];
const SUM = { ok: 0, failed: 1, dropped: 2, durationMs: 3, attempts: 4 } as const;
const HISTOGRAM = { ok: 0, all: 1 } as const;

/** A run's windows for one row, ready to resample; or why there are none to resample. */
type RowWindows =
  | { ok: true; strata: { windows: BootstrapWindow[]; grid: string; series: number[][] }[]; windows: number; missing: Partial<Record<Metric, string>> }
  | { ok: false; windows: number; reason: string };

function rowWindows(result: RunResult, scope: RowScope): RowWindows {
  if (scope.kind === 'class') return { ok: false, windows: 0, reason: 'the timeline is not kept per class of the request mix' };
  const phases = scope.kind === 'total' ? result.phases : result.phases.filter((p) => p.name === scope.name);
  const strata = phases.map((p) => windowsOf(result.timeline, p)).filter((s) => s.length > 0);
  const windows = strata.reduce((acc, s) => acc + s.length, 0);
  if (windows < MIN_WINDOWS) {
    return {
      ok: false,
      windows,
      reason: `${windows} timeline window${windows === 1 ? '' : 's'} in the ${scope.kind === 'total' ? 'run' : 'phase'}; ${MIN_WINDOWS} needed`,
    };
  }
  const all = strata.flat();
  const missing: Partial<Record<Metric, string>> = {};
  if (all.some((w) => w.okHistogram === undefined)) {
    missing.p50 = missing.p99 = "the windows lack the successes' latencies (a result written before they were kept)";
  }
  if (all.some((w) => w.attempts === undefined)) missing.amplification = 'the windows lack attempts (a result written before they were kept)';
  return {
    ok: true,
    windows,
    missing,
    strata: strata.map((s) => {
      const bootstrapWindows = s.map(bootstrapWindow);
      return { windows: bootstrapWindows, grid: s.map((w) => `${w.t}+${w.durationMs}`).join(','), series: dependenceSeries(bootstrapWindows) };
    }),
  };
}

function resample(row: RowWindows & { ok: true }, blocks: readonly BlockChoice[], stream: string, resamples: number): RowResamples {
  if (blocks.some((b) => b.tooLong)) {
    return {
      ok: false,
      windows: row.windows,
      reason:
        'its windows depend on each other across more than a quarter of the phase (a queue near saturation, or a phase that changes as it goes), so one run cannot tell its noise',
    };
  }
  const strata = row.strata.map((s, i) => ({ windows: s.windows, blockLength: blocks[i]!.length }));
  const pieces = strata.reduce((acc, s) => acc + s.windows.length / s.blockLength, 0);
  const draws = blockBootstrap(strata, statistics, { resamples, seed: SEED, stream });
  const values: Partial<Record<Metric, Float64Array>> = {};
  METRICS.forEach((metric, k) => {
    if (row.missing[metric] === undefined) values[metric] = Float64Array.from(draws, (d) => d[k]!);
  });
  return { ok: true, windows: row.windows, blocks: pieces, values, missing: row.missing };
}

/** A run's windows resampled on their own, in blocks as long as its own series want. */
function resampleAlone(row: RowWindows & { ok: true }, stream: string): RowResamples {
  return resample(
    row,
    row.strata.map((s) => chooseBlockLength(s.series)),
    stream,
    RESAMPLES,
  );
}

/** One run's windows for a row resampled on their own: `stream` names the random stream. */
export function resampleRow(result: RunResult, scope: RowScope, stream: string, resamples = RESAMPLES, blockLength?: (n: number) => number): RowResamples {
  const row = rowWindows(result, scope);
  if (!row.ok) return row;
  const lengths = row.strata.map((s) => (blockLength ? { length: blockLength(s.windows.length), tooLong: false } : chooseBlockLength(s.series)));
  return resample(row, lengths, stream, resamples);
}

/**
 * The verdicts on a row between the first run and a later one, one run a side. Success and goodput are
 * counts, judged at an effective sample size (effective-count.ts) that the runs' windows give: what a
 * run's requests are worth as independent trials. Latency percentiles need repeated runs ("needs-repeats"):
 * a run's windows show how precisely its own p99 is measured, not how far a rerun's would move. Attempts
 * per request by the block bootstrap of the windows: when both runs cut the row into the same windows
 * (the same plan: a rerun, or one profile against a changed service), the two are resampled together,
 * the same blocks of both (a paired bootstrap of the two series), so that what the runs share cancels
 * in the difference, as it does in the difference itself; otherwise each on its own.
 */
export function judgeRow(
  first: RunResult,
  later: RunResult,
  scope: RowScope,
  labels: [string, string],
  stream: string,
  shown: Partial<Record<Metric, number | null>> = {},
): Partial<Record<Metric, Significance>> {
  const a = rowWindows(first, scope);
  const b = rowWindows(later, scope);
  const windows: [number, number] = [a.windows, b.windows];
  const out: Partial<Record<Metric, Significance>> = {};
  for (const metric of LATENCY) out[metric] = needsRepeats(windows);
  const paired = a.ok && b.ok && a.strata.length === b.strata.length && a.strata.every((s, i) => s.grid === b.strata[i]!.grid);
  out.amplification = { ...bootstrapVerdict('amplification', a, b, labels, stream, paired, shown.amplification), paired };
  const counts = (row: RowWindows, result: RunResult, label: string): RowCounts | string => {
    if (!row.ok) return `${label}: ${row.reason}`;
    const figures = scope.kind === 'total' ? result.total : scope.kind === 'phase' ? result.phases.find((p) => p.name === scope.name) : undefined;
    if (!figures) return `${label}: no such phase`;
    return rowCounts(row, figures, `${stream} ${label} counts`);
  };
  const ca = counts(a, first, labels[0]);
  const cb = counts(b, later, labels[1]);
  const base = { confidence: CONFIDENCE, method: 'effective-count' as const, resamples: RESAMPLES, windows, runs: [1, 1] as [number, number] };
  const z = normalQuantile(1 - (1 - CONFIDENCE) / 2);
  const zGate = normalQuantile(1 - (1 - GATE_CONFIDENCE) / 2);
  for (const metric of ['success', 'goodput'] as const) {
    if (typeof ca === 'string' || typeof cb === 'string') {
      const reason = typeof ca === 'string' ? ca : (cb as string);
      out[metric] = { verdict: 'insufficient', confidence: CONFIDENCE, method: 'none', resamples: 0, windows, runs: [1, 1], interval: null, reason };
      continue;
    }
    const judge = metric === 'success' ? judgeSuccessCounts : judgeGoodputCounts;
    const judged = judge(ca, cb, z);
    const gate = judge(ca, cb, zGate).interval;
    out[metric] = { ...base, ...judged, ...(gate ? { gate: { confidence: GATE_CONFIDENCE, interval: gate } } : {}) };
  }
  return out;
}

const LATENCY = ['p50', 'p99', 'allP50', 'allP99'] as const;

/** What one run a side cannot say about a latency percentile, and what can. */
export const NEEDS_REPEATS =
  "one run a side: its windows show how precisely this run's percentile is measured, not how far a rerun's would move (the queue's wanderings, the host's stalls); compare --repeat 3 (or directories of saved runs) judges it between runs";

function needsRepeats(windows: [number, number]): Significance {
  return { verdict: 'needs-repeats', confidence: CONFIDENCE, method: 'none', resamples: 0, windows, runs: [1, 1], interval: null, reason: NEEDS_REPEATS };
}

/** The block bootstrap's verdict on one figure, the runs paired when they share their windows. */
function bootstrapVerdict(
  metric: Metric,
  a: RowWindows,
  b: RowWindows,
  labels: [string, string],
  stream: string,
  paired: boolean,
  shown: number | null | undefined,
): Significance {
  let ra: RowResamples;
  let rb: RowResamples;
  if (a.ok && b.ok && paired) {
    // One length for both, so the same draws pick the same windows: what the difference between the
    // runs' windows needs (what they share cancels in it).
    const lengths = a.strata.map((s, i) => chooseBlockLength(s.series.map((x, k) => x.map((v, w) => b.strata[i]!.series[k]![w]! - v))));
    if (lengths.some((l) => l.tooLong)) {
      const reason =
        "the differences between the runs' windows depend on each other across more than a quarter of the phase (a queue near saturation, or a phase that changes as it goes), so one run each cannot tell noise from a change";
      ra = rb = { ok: false, windows: a.windows, reason };
    } else {
      ra = resample(a, lengths, stream, RESAMPLES);
      rb = resample(b, lengths, stream, RESAMPLES);
    }
  } else if (a.ok && b.ok) {
    ra = resampleAlone(a, `${stream} ${labels[0]}`);
    rb = resampleAlone(b, `${stream} ${labels[1]}`);
  } else {
    ra = a.ok ? resampleAlone(a, stream) : a;
    rb = b.ok ? resampleAlone(b, stream) : b;
  }
  return { ...significance(metric, ra, rb, labels, shown), runs: [1, 1] };
}

/**
 * One run's counts for a row, with the design effects its windows show: the variance of the success
 * ratio and of goodput over block resamples of its windows (in blocks as long as its series want, a
 * quarter of the phase at most even when they want more), against what independent requests would give.
 */
function rowCounts(row: RowWindows & { ok: true }, figures: PhaseResult, stream: string): RowCounts {
  const lengths = row.strata.map((s) => ({ length: chooseBlockLength(s.series).length, tooLong: false }));
  const resampled = resample(row, lengths, stream, RESAMPLES);
  const all = row.strata.flatMap((s) => s.windows);
  const ok = all.reduce((acc, w) => acc + w.sums[SUM.ok]!, 0);
  const ended = all.reduce((acc, w) => acc + w.sums[SUM.ok]! + w.sums[SUM.failed]! + w.sums[SUM.dropped]!, 0);
  const ms = all.reduce((acc, w) => acc + w.sums[SUM.durationMs]!, 0);
  const p = ended > 0 ? ok / ended : 0;
  const vs = resampled.ok ? variance(resampled.values.success) : 0;
  const vg = resampled.ok ? variance(resampled.values.goodput) : 0;
  const perSecond = ms > 0 ? 1000 / ms : 0;
  return {
    ok: figures.ok,
    offered: figures.offered,
    durationMs: figures.durationMs,
    successDesign: p > 0 && p < 1 && vs > 0 ? vs / ((p * (1 - p)) / ended) : 1,
    goodputDesign: ok > 0 && vg > 0 ? vg / (ok * perSecond * perSecond) : 1,
    stretches: row.strata.reduce((acc, s) => acc + s.windows.length / Math.ceil(Math.sqrt(s.windows.length)), 0),
  };
}

function variance(values: Float64Array | undefined): number {
  if (!values) return 0;
  const known = [...values].filter((v) => !Number.isNaN(v));
  if (known.length < 2) return 0;
  const mean = known.reduce((a, b) => a + b, 0) / known.length;
  return known.reduce((a, b) => a + (b - mean) ** 2, 0) / (known.length - 1);
}

/**
 * The verdict on `metric` between a first run's resamples and a later one's. `shown` is the difference
 * the comparison shows (points, or a ratio; from the phases' own figures): the interval is centred on it,
 * so that a "real" difference is real in the direction shown. The phases count what they sent, the
 * windows what finished in them, and the two differ by the requests that outlive their phase (a backlog
 * that a 5-minute timeout clears in the next one): the interval is widened by how far the windows' own
 * difference is from the shown one, and when the two go opposite ways the windows do not stand for the
 * phase and the verdict is "insufficient".
 */
export function significance(metric: Metric, first: RowResamples, later: RowResamples, labels: [string, string], shown?: number | null): Significance {
  const base = { confidence: CONFIDENCE, method: 'block-bootstrap' as const, windows: [first.windows, later.windows] as [number, number] };
  // (A row judged on its pair's differences has one reason for both runs, given once.)
  const insufficient = (reason: string): Significance => ({ verdict: 'insufficient', ...base, resamples: 0, interval: null, reason });
  if (!first.ok && first === later) return insufficient(first.reason);
  if (!first.ok) return insufficient(`${labels[0]}: ${first.reason}`);
  if (!later.ok) return insufficient(`${labels[1]}: ${later.reason}`);
  const a = first.values[metric];
  const b = later.values[metric];
  if (!a) return insufficient(`${labels[0]}: ${first.missing[metric] ?? 'no such figure'}`);
  if (!b) return insufficient(`${labels[1]}: ${later.missing[metric] ?? 'no such figure'}`);

  const points = metric === 'success';
  // On the scale where the difference adds: points for success, the logarithm of the ratio for the rest.
  const deltas: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    const d = points ? (y - x) * 100 : x === 0 && y === 0 ? 0 : Math.log(y / x);
    if (Number.isFinite(d)) deltas.push(d);
  }
  const resamples = Math.min(a.length, b.length);
  if (deltas.length < resamples * (1 - MAX_MISSING_SHARE)) {
    return insufficient(`the figure is missing from ${resamples - deltas.length} of ${resamples} resamples (too few successes in the windows)`);
  }
  deltas.sort((x, y) => x - y);
  const median = quantile(deltas, 0.5);
  const mean = deltas.reduce((acc, d) => acc + d, 0) / deltas.length;
  const sd = Math.sqrt(deltas.reduce((acc, d) => acc + (d - mean) ** 2, 0) / (deltas.length - 1));
  const blocks = Math.min(first.blocks, later.blocks);
  const spread = widening(blocks) * sd;
  // Back from the additive scale, within the figure's range: a difference of two ratios within ±100 points.
  const back = (d: number): number => (points ? Math.max(-100, Math.min(100, d)) : Math.exp(d));
  // The shown difference on the same scale; a ratio up from zero has none (the windows' median then).
  const onScale = shown === undefined || shown === null || !(points || shown > 0) ? undefined : points ? shown : Math.log(shown);
  const same = points ? SAME_POINTS : Math.log(SAME_RATIO);
  if (onScale !== undefined && Math.abs(median) > same && Math.abs(onScale) > same && Math.sign(median) !== Math.sign(onScale)) {
    return insufficient(
      `what finished in the phase's windows (${formatShown(back(median), points)}) went the other way from what the phase sent (${formatShown(back(onScale), points)}): its requests outlive it`,
    );
  }
  const centre = onScale ?? median;
  // Widened by how far the windows' own difference is from the shown one: what they could not see.
  const half = spread + (onScale === undefined ? 0 : Math.abs(median - onScale));
  const lo = back(centre - half);
  const hi = back(centre + half);
  const none = points ? 0 : 1;
  const real = lo > none || hi < none;
  const gateHalf = half + (widening(blocks, GATE_CONFIDENCE) - widening(blocks)) * sd;
  const gate = { confidence: GATE_CONFIDENCE, interval: [back(centre - gateHalf), back(centre + gateHalf)] as [number, number] };
  return { verdict: real ? 'real' : 'noise', ...base, resamples, interval: [lo, hi], gate };
}

/**
 * The windows that stand for a phase: those whose middle falls in it (a window across a boundary goes to
 * the phase that holds most of it). Completions count in the window they finished in, so a window's
 * figures are of what finished in it, not of what the phase sent: at the edges of a phase they differ
 * a little from the phase's own figures.
 */
export function windowsOf(timeline: readonly TimelineWindow[], phase: PhaseResult): TimelineWindow[] {
  const end = phase.startMs + phase.durationMs;
  return timeline.filter((w) => {
    const middle = w.t + w.durationMs / 2;
    return middle >= phase.startMs && middle < end;
  });
}

const decoded = new WeakMap<TimelineWindow, BootstrapWindow>();

function bootstrapWindow(w: TimelineWindow): BootstrapWindow {
  let b = decoded.get(w);
  if (!b) {
    b = {
      sums: [w.ok, w.failed, w.dropped, w.durationMs, w.attempts ?? 0],
      histograms: [w.okHistogram === undefined ? [] : recordedValues(decodeHistogram(w.okHistogram)), recordedValues(decodeHistogram(w.histogram))],
    };
    decoded.set(w, b);
  }
  return b;
}

/**
 * What neighbouring windows share, as series the block length is chosen from: each window's success
 * ratio and the mean latency of what completed in it (a window with nothing takes the series' mean).
 * Not the raw counts: with uniform arrivals they repeat with a period (1, 1, 2, 1, 1, 2 per window),
 * which reads as correlation that never dies out, and are otherwise the arrivals' own noise.
 */
function dependenceSeries(windows: readonly BootstrapWindow[]): number[][] {
  const filled = (values: number[]): number[] => {
    const known = values.filter((v) => !Number.isNaN(v));
    const fill = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 0;
    return values.map((v) => (Number.isNaN(v) ? fill : v));
  };
  const success = windows.map((w) => {
    const ended = w.sums[SUM.ok]! + w.sums[SUM.failed]! + w.sums[SUM.dropped]!;
    return ended > 0 ? w.sums[SUM.ok]! / ended : NaN;
  });
  const latency = windows.map((w) => {
    let count = 0;
    let sum = 0;
    for (const [value, c] of w.histograms[HISTOGRAM.all]!) {
      count += c;
      sum += value * c;
    }
    return count > 0 ? sum / count : NaN;
  });
  return [filled(success), filled(latency)];
}

/**
 * The half-width of the interval in standard deviations of the resampled differences: Student's t at
 * the confidence level on b − 1 degrees of freedom, times √(b/(b−1)), for a run of b blocks — a resample
 * of b blocks has about b nearly independent pieces, and a spread estimated from so few is itself
 * uncertain (the small-sample widening of Hesterberg's expanded percentile interval, 2015). The spread
 * rather than the extreme resamples: with few blocks the percentiles the widening calls for lie beyond
 * what a thousand resamples can place. Tends to 1.96 with many blocks.
 */
export function widening(blocks: number, confidence = CONFIDENCE): number {
  const df = Math.max(1, blocks - 1);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  return Math.sqrt(blocks / df) * studentQuantile(z, df);
}

/** Student's t quantile at the normal quantile z with df degrees of freedom (Cornish–Fisher, within 3% at df = 2, far closer above). */
function studentQuantile(z: number, df: number): number {
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

/** The figures of one resample, in METRICS order, as the comparison defines them but of what finished in the windows. */
function statistics(view: ResampleView): (number | null)[] {
  const ok = view.sum(SUM.ok);
  const completed = ok + view.sum(SUM.failed);
  const ended = completed + view.sum(SUM.dropped);
  const ms = (us: number | null): number | null => (us === null ? null : us / 1000);
  return [
    ended > 0 ? ok / ended : null,
    view.sum(SUM.durationMs) > 0 ? (ok * 1000) / view.sum(SUM.durationMs) : null,
    ms(view.percentile(HISTOGRAM.ok, 50)),
    ms(view.percentile(HISTOGRAM.ok, 99)),
    ms(view.percentile(HISTOGRAM.all, 50)),
    ms(view.percentile(HISTOGRAM.all, 99)),
    completed > 0 ? view.sum(SUM.attempts) / completed : null,
  ];
}

/** A difference as the table shows it: "+8.2pp", "×0.62". */
function formatShown(value: number, points: boolean): string {
  return points ? `${value >= 0 ? '+' : ''}${value.toFixed(1)}pp` : `×${value.toPrecision(2)}`;
}

/** Linear interpolation between order statistics (type 7 of Hyndman & Fan). */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const i = Math.floor(at);
  const low = sorted[i]!;
  const high = sorted[Math.min(i + 1, sorted.length - 1)]!;
  if (low === high) return low;
  if (!Number.isFinite(high)) return at === i ? low : high;
  return low + (high - low) * (at - i);
}
