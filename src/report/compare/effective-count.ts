// Success and goodput with one run a side: counts, judged at an effective sample size. A phase's success
// is ok ÷ offered over thousands of requests, but requests in a queue are not independent — a queue
// that fills fails hundreds at once — so the count is worth fewer independent trials: n ÷ the design
// effect, the variance the run's own windows show (block bootstrap, significance.ts) over the variance
// independent requests would have. Where the windows cannot say (a phase a fault breaks half way is not
// one steady state, and its windows' variance is mostly the change itself), the effective size is never
// taken below the run's stretches: its windows cut into blocks of √n. Any figure between 0 and 1 with
// mean p has a variance of at most p(1 − p), so m independent stretches, each as unsure as a single coin
// flip, give a variance of the phase's ratio of at most p(1 − p) / m — a bound that holds however the
// phase changes from stretch to stretch. A difference outside it is larger than anything within the run
// could make. The intervals are Newcombe's and Wilson's (proportions.ts): within the figure's range.
import type { Significance } from './significance.js';
import { newcombe, rateRatio } from './proportions.js';

/** What one run's row holds for the count-based verdicts. */
export interface RowCounts {
  ok: number;
  offered: number;
  durationMs: number;
  /** Design effect of the success ratio (≥ 1), from the windows' resamples; 1 when they do not vary. */
  successDesign: number;
  /** Design effect of the count of successes (≥ 1; Poisson-like arrivals alone give 1). */
  goodputDesign: number;
  /** Independent stretches the run's windows make (blocks of √n): the floor of the effective size. */
  stretches: number;
}

type Judged = Pick<Significance, 'verdict' | 'interval' | 'effectiveSize' | 'reason'>;

/** Success, later − first in points, by Newcombe's interval over each run's effective size. */
export function judgeSuccessCounts(a: RowCounts, b: RowCounts, z: number): Judged {
  if (a.offered === 0 || b.offered === 0) return { verdict: 'insufficient', interval: null, reason: 'nothing was offered in one of the runs' };
  // One design effect for both, the larger: under the hypothesis that nothing changed the two runs are
  // one process, and a run whose windows did not vary (no failure at all: p̂ = 1) says nothing of how
  // its failures cluster — the other run does. (Measured: with each run's own, a run without failures
  // against one whose queue overflowed was "real" in 13% of seed pairs of one configuration.)
  const design = Math.max(a.successDesign, b.successDesign);
  const nA = effective(a.offered, design, a.stretches);
  const nB = effective(b.offered, design, b.stretches);
  const [lo, hi] = newcombe(a.ok / a.offered, nA, b.ok / b.offered, nB, z);
  const interval: [number, number] = [lo * 100, hi * 100];
  return { verdict: lo > 0 || hi < 0 ? 'real' : 'noise', interval, effectiveSize: [round(nA), round(nB)] };
}

/** Goodput, later ÷ first, by the conditional interval of a ratio of two rates over the pooled effective size. */
export function judgeGoodputCounts(a: RowCounts, b: RowCounts, z: number): Judged {
  const total = a.ok + b.ok;
  if (total === 0) return { verdict: 'insufficient', interval: null, reason: 'neither run had a success' };
  if (a.durationMs <= 0 || b.durationMs <= 0) return { verdict: 'insufficient', interval: null, reason: 'a run has no time in the phase' };
  // The larger design effect, as for success: the two runs are one process if nothing changed.
  const design = Math.max(1, a.goodputDesign, b.goodputDesign);
  const n = effective(total, design, Math.min(a.stretches, b.stretches));
  const [lo, hi] = rateRatio(a.ok, a.durationMs, b.ok, b.durationMs, n, z);
  return { verdict: lo > 1 || hi < 1 ? 'real' : 'noise', interval: [lo, hi], effectiveSize: [round(n), round(n)] };
}

/** n ÷ the design effect, never below the run's stretches (nor above n). */
export function effective(n: number, design: number, stretches: number): number {
  const byDesign = n / Math.max(1, design);
  return Math.max(1, Math.min(n, Math.max(byDesign, Math.min(stretches, n))));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
