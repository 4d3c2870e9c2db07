// The verdict from repeated runs: each side ran K times (compare --repeat K, or directories of saved
// runs), so a figure's spread between runs — the queue's wandering, the host's stalls, everything one
// run cannot see of itself — is measured rather than guessed. Welch's t interval on the runs' figures:
// success in points; p50, p99 and attempts per request on a log scale (their runs' spread is
// multiplicative, and the ratio of geometric means is what the table shows); goodput as a ratio of means
// by the delta method (a run with no successes has a goodput of 0, which has no logarithm). With one run
// on one side, that side's spread is taken to be the other's (Student's t on k − 1 degrees of freedom).
import { studentQuantile } from './distributions.js';
import type { Metric } from './difference.js';
import { CONFIDENCE, GATE_CONFIDENCE, type Significance } from './significance.js';

export interface Spread {
  mean: number;
  /** The sample variance (n − 1); 0 for one run. */
  variance: number;
  n: number;
}

export function spread(values: readonly number[]): Spread {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, variance, n };
}

/**
 * The interval of a difference of means, b − a (with `scaleA`, `scaleB`: of scaleB·b̄ − scaleA·ā, the
 * delta method's weights), at `confidence`; null when neither side has two runs.
 */
export function welchInterval(a: Spread, b: Spread, confidence: number, scaleA = 1, scaleB = 1): { interval: [number, number]; df: number } | null {
  if (a.n < 2 && b.n < 2) return null;
  // One run on a side: its spread is the other side's.
  const va = (a.n >= 2 ? a.variance : b.variance) * scaleA ** 2;
  const vb = (b.n >= 2 ? b.variance : a.variance) * scaleB ** 2;
  const d = scaleB * b.mean - scaleA * a.mean;
  const ta = va / a.n;
  const tb = vb / b.n;
  const se = Math.sqrt(ta + tb);
  if (!(se > 0)) return { interval: [d, d], df: Infinity };
  let df: number;
  if (a.n < 2) df = b.n - 1;
  else if (b.n < 2) df = a.n - 1;
  else df = (ta + tb) ** 2 / ((a.n > 1 ? (ta * ta) / (a.n - 1) : 0) + (b.n > 1 ? (tb * tb) / (b.n - 1) : 0));
  const t = studentQuantile(1 - (1 - confidence) / 2, Math.max(1, df));
  return { interval: [d - t * se, d + t * se], df };
}

/** How a figure's runs are combined for the table, and judged between runs. */
export function runScale(metric: Metric): 'points' | 'log' | 'linear-ratio' {
  if (metric === 'success') return 'points';
  if (metric === 'goodput') return 'linear-ratio';
  return 'log';
}

/**
 * The verdict on a figure between two groups of runs: `a` and `b` are each run's figure (null: the run
 * has none, as a p99 with no successes). Success: Welch on the points; goodput: the ratio of the means
 * with the delta method's standard error; the rest: Welch on the logarithms (the ratio of geometric means).
 */
export function judgeBetweenRuns(metric: Metric, a: readonly (number | null)[], b: readonly (number | null)[], windows: [number, number]): Significance {
  const runs: [number, number] = [a.length, b.length];
  const base = { confidence: CONFIDENCE, method: 'between-runs' as const, resamples: 0, windows, runs };
  const insufficient = (reason: string): Significance => ({ ...base, verdict: 'insufficient', interval: null, reason });
  const scale = runScale(metric);
  const known = (values: readonly (number | null)[]): number[] =>
    values.filter((v): v is number => v !== null && Number.isFinite(v) && (scale !== 'log' || v > 0));
  const xa = known(a);
  const xb = known(b);
  if (xa.length === 0 || xb.length === 0) return insufficient(`no run on ${xa.length === 0 ? 'the first' : 'the later'} side has this figure`);
  if (xa.length < 2 && xb.length < 2) return insufficient('fewer than two runs with this figure on either side');
  const at = (confidence: number): { interval: [number, number]; df: number } => {
    if (scale === 'points') {
      const w = welchInterval(spread(xa.map((v) => v * 100)), spread(xb.map((v) => v * 100)), confidence)!;
      return { interval: [Math.max(-100, w.interval[0]), Math.min(100, w.interval[1])], df: w.df };
    }
    if (scale === 'log') {
      const w = welchInterval(spread(xa.map(Math.log)), spread(xb.map(Math.log)), confidence)!;
      return { interval: [Math.exp(w.interval[0]), Math.exp(w.interval[1])], df: w.df };
    }
    // R = b̄ / ā: Var(R) ≈ Var(b̄) / ā² + b̄² Var(ā) / ā⁴ (the delta method): a difference of means with
    // weights 1 / ā (for b̄) and b̄ / ā² (for ā), around R.
    const sa = spread(xa);
    const sb = spread(xb);
    const ratio = sb.mean / sa.mean;
    const w = welchInterval({ ...sa, mean: 0 }, { ...sb, mean: 0 }, confidence, sb.mean / sa.mean ** 2, 1 / sa.mean)!;
    return { interval: [Math.max(0, ratio + w.interval[0]), ratio + w.interval[1]], df: w.df };
  };
  if (scale === 'linear-ratio' && !(spread(xa).mean > 0)) return insufficient('the first runs had no successes: a ratio up from zero');
  const { interval, df } = at(CONFIDENCE);
  const gate = { confidence: GATE_CONFIDENCE, interval: at(GATE_CONFIDENCE).interval };
  const none = scale === 'points' ? 0 : 1;
  const real = interval[0] > none || interval[1] < none;
  return { ...base, verdict: real ? 'real' : 'noise', interval, gate, ...(Number.isFinite(df) ? { df: Math.round(df * 10) / 10 } : {}) };
}
