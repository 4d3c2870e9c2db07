// A phase's result from its counts and its histograms: what a recorder ends with, and what a merge of
// segments ends with too (their counts added, their histograms added), so both read percentiles the same way.
import { encodeHistogram, summarize, type Histogram } from '../core/latency-histogram.js';
import type { PhaseResult } from './run-result.js';

/** Counts shared by a phase and the total: the result's own fields, with outcomes still in maps. */
export type PhaseCounts = Pick<
  PhaseResult,
  'name' | 'model' | 'vus' | 'startMs' | 'offered' | 'sent' | 'dropped' | 'ok' | 'failed' | 'unfinished' | 'attempts' | 'retries'
> & {
  statuses: ReadonlyMap<number, number>;
  errors: ReadonlyMap<string, number>;
};

export function phaseResult(
  counts: PhaseCounts,
  latency: Histogram,
  okLatency: Histogram,
  service: Histogram,
  sendLag: Histogram,
  coveredMs: number,
): PhaseResult {
  const seconds = coveredMs / 1000;
  const perSecond = (n: number): number => (seconds > 0 ? n / seconds : 0);
  return {
    name: counts.name,
    model: counts.model,
    ...(counts.vus !== undefined ? { vus: counts.vus } : {}),
    startMs: counts.startMs,
    durationMs: coveredMs,
    offered: counts.offered,
    sent: counts.sent,
    dropped: counts.dropped,
    ok: counts.ok,
    failed: counts.failed,
    unfinished: counts.unfinished,
    attempts: counts.attempts,
    retries: counts.retries,
    successRatio: counts.offered > 0 ? counts.ok / counts.offered : 0,
    rps: { offered: perSecond(counts.offered), achieved: perSecond(counts.ok + counts.failed), goodput: perSecond(counts.ok) },
    latencyMs: summarize(latency),
    okLatencyMs: summarize(okLatency),
    serviceMs: summarize(service),
    sendLagMs: summarize(sendLag),
    statuses: Object.fromEntries([...counts.statuses].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])),
    errors: Object.fromEntries([...counts.errors].sort((a, b) => b[1] - a[1])),
    histograms: { latency: encodeHistogram(latency), ok: encodeHistogram(okLatency), service: encodeHistogram(service), sendLag: encodeHistogram(sendLag) },
  };
}
