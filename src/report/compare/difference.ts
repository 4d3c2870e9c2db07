// How a later run differs from the first, metric by metric: success in percentage points, the rest as
// ratios (goodput ×3.1, p99 ×0.05), with the direction of the change and whether that is better —
// higher success and goodput, lower latency and fewer attempts per request. Changes within run-to-run
// noise (half a point of success, 5% of a ratio) are "same": no arrow, no colour. p50 and p99 are the
// successes' (the table's); allP50 and allP99, every completion's, are in the JSON only.
import type { PhaseFigures } from './comparison.js';
import type { Significance } from './significance.js';

export type Metric = 'success' | 'goodput' | 'p50' | 'p99' | 'allP50' | 'allP99' | 'amplification';

export interface Difference {
  /** Success: "points", the change in percentage points. Others: "ratio", later ÷ first (null: up from zero). */
  kind: 'points' | 'ratio';
  value: number | null;
  direction: 'up' | 'down' | 'same';
  verdict: 'better' | 'worse' | 'same';
  /** Real or within a run's noise (significance.ts); set by the comparison, absent in documents from before it. */
  significance?: Significance;
}

export type Differences = Partial<Record<Metric, Difference>>;

/** Below this many percentage points a success change is noise. */
export const SAME_POINTS = 0.5;
/** Within this factor either way a ratio is noise. */
export const SAME_RATIO = 1.05;

const HIGHER_IS_BETTER: Record<Metric, boolean> = { success: true, goodput: true, p50: false, p99: false, allP50: false, allP99: false, amplification: false };

export function differences(base: PhaseFigures, later: PhaseFigures): Differences {
  const out: Differences = {};
  if (base.success !== null && later.success !== null) out.success = points(base.success, later.success);
  out.goodput = ratio('goodput', base.goodput, later.goodput);
  for (const metric of ['p50', 'p99', 'allP50', 'allP99', 'amplification'] as const) {
    const a = base[metric];
    const b = later[metric];
    if (a !== null && b !== null) out[metric] = ratio(metric, a, b);
  }
  return out;
}

function points(a: number, b: number): Difference {
  const value = (b - a) * 100;
  const direction = Math.abs(value) < SAME_POINTS ? 'same' : value > 0 ? 'up' : 'down';
  return { kind: 'points', value, direction, verdict: verdict('success', direction) };
}

function ratio(metric: Metric, a: number, b: number): Difference {
  if (a === 0) {
    const direction = b > 0 ? 'up' : 'same';
    return { kind: 'ratio', value: b > 0 ? null : 1, direction, verdict: verdict(metric, direction) };
  }
  const value = b / a;
  const direction = value < SAME_RATIO && value > 1 / SAME_RATIO ? 'same' : value > 1 ? 'up' : 'down';
  return { kind: 'ratio', value, direction, verdict: verdict(metric, direction) };
}

function verdict(metric: Metric, direction: Difference['direction']): Difference['verdict'] {
  if (direction === 'same') return 'same';
  return (direction === 'up') === HIGHER_IS_BETTER[metric] ? 'better' : 'worse';
}

/**
 * Whether a difference is shown as one: beyond the band of SAME_POINTS / SAME_RATIO and, where it was
 * judged (significance.ts), a real one rather than within the runs' noise.
 */
export function isMarked(d: Difference): boolean {
  return d.direction !== 'same' && (d.significance === undefined || d.significance.verdict === 'real');
}

/**
 * "+42pp ▲", "-3.5pp ▼", "+0.2pp"; "×3.1 ▲", "×0.05 ▼", "×1.0", "from 0 ▲". Beyond the band but not
 * judged real: "×1.3 ~" (within the runs' noise), "×1.3 ?" (too little to judge) or "×1.3 ↻" (one run
 * a side cannot judge it: repeat the runs).
 */
export function formatDifference(d: Difference): string {
  const judged = d.direction === 'same' || isMarked(d) ? undefined : d.significance?.verdict;
  const arrow =
    judged === 'noise'
      ? ' ~'
      : judged === 'insufficient'
        ? ' ?'
        : judged === 'needs-repeats'
          ? ' ↻'
          : d.direction === 'up'
            ? ' ▲'
            : d.direction === 'down'
              ? ' ▼'
              : '';
  if (d.kind === 'points') {
    const v = d.value ?? 0;
    const size = Math.abs(v) >= 9.95 ? Math.round(Math.abs(v)) : Math.round(Math.abs(v) * 10) / 10;
    return `${v < 0 && size > 0 ? '-' : '+'}${size}pp${arrow}`;
  }
  if (d.value === null) return `from 0${arrow}`;
  return `×${formatRatio(d.value)}${arrow}`;
}

/** Two significant digits, never in exponent form: 0, <0.001, 0.05, 0.48, 1.0, 3.1, 12, 250. */
export function formatRatio(r: number): string {
  if (r === 0) return '0';
  if (r < 0.001) return '<0.001';
  const rounded = Number(r.toPrecision(2));
  if (rounded >= 10) return String(Math.round(r));
  if (rounded >= 1) return rounded.toFixed(1);
  return String(rounded);
}
