// Thresholds checked against a finished (or interrupted) run. A threshold with nothing to measure —
// no success for a latency (no completion for all.*, no open-model send for lag.*), nothing offered for
// a ratio, a phase that never began — fails with actual NaN: CI must never read "no data" as a pass.
import type { LatencySummary, PhaseResult, ThresholdResult } from '../result/run-result.js';
import { isLatencyMetric, latencyParts, type LatencyOf, type Threshold, type ThresholdOperator } from './parse.js';

/** The summary of the result each kind of latency metric reads. */
const SUMMARY: Record<LatencyOf, (p: PhaseResult) => LatencySummary | null | undefined> = {
  ok: (p) => p.okLatencyMs,
  all: (p) => p.latencyMs,
  lag: (p) => p.sendLagMs,
};

export function evaluateThresholds(thresholds: readonly Threshold[], result: { phases: readonly PhaseResult[]; total: PhaseResult }): ThresholdResult[] {
  return thresholds.map((t) => {
    const phase = t.phase === undefined ? result.total : result.phases.find((p) => p.name === t.phase);
    const scope = t.cls === undefined ? phase : phase?.mix?.find((c) => c.name === t.cls);
    const actual = scope ? measure(t, scope) : NaN;
    return { expr: t.expr, ok: compare(actual, t.op, t.value), actual };
  });
}

/** The value a threshold is about, in its own unit; NaN when the scope has nothing to measure. */
export function measure(t: Threshold, phase: PhaseResult): number {
  if (isLatencyMetric(t.metric)) {
    const { of, stat } = latencyParts(t.metric);
    const summary = SUMMARY[of](phase);
    return summary ? summary[stat] : NaN;
  }
  switch (t.metric) {
    case 'success':
      return phase.offered > 0 ? phase.successRatio : NaN;
    case 'errors':
      return phase.offered > 0 ? (phase.failed + phase.dropped) / phase.offered : NaN;
    case 'rps':
      return phase.rps.achieved;
    case 'dropped':
      if (t.unit === 'count') return phase.dropped;
      return phase.offered > 0 ? phase.dropped / phase.offered : NaN;
  }
}

/** NaN never satisfies a threshold, whatever the operator (NaN != x would otherwise hold). */
export function compare(actual: number, op: ThresholdOperator, value: number): boolean {
  if (Number.isNaN(actual)) return false;
  switch (op) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '==':
      return actual === value;
    case '!=':
      return actual !== value;
  }
}
