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

const ADDED = ['offered', 'sent', 'dropped', 'ok', 'failed', 'unfinished', 'attempts', 'retries'] as const;
/** The counts that add up when phases (or segments, or classes) are taken together. */
export type AddedCounts = Pick<PhaseResult, (typeof ADDED)[number]>;

/** The counts of several parts added: a run's total from its phases, a merge from its segments. */
export function addedCounts(parts: readonly AddedCounts[]): AddedCounts {
  const counts = {} as Record<(typeof ADDED)[number], number>;
  for (const key of ADDED) counts[key] = parts.reduce((acc, p) => acc + p[key], 0);
  return counts;
}

/** Outcome maps (by status, by error kind) of several parts added key by key. */
export function addedMaps<K>(maps: Iterable<Iterable<readonly [K, number]>>): Map<K, number> {
  const added = new Map<K, number>();
  for (const map of maps) for (const [k, v] of map) added.set(k, (added.get(k) ?? 0) + v);
  return added;
}

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
