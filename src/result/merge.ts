// Segments of one run merged into the run's result, losslessly: counts add, HDR histograms add (per
// phase, per class, per timeline window), and every percentile is read from the merged histograms, never
// averaged. What runs beside the load (the mock's state samples, its faults) comes from the segment that
// did it. Thresholds are not evaluated here: the caller evaluates them once, on the merge. Whether the
// results are one run's segments, each once, is checked first (shard-check.ts).
import { decodeHistogram, encodeHistogram, mergeHistograms } from '../core/latency-histogram.js';
import { addedCounts, addedMaps, phaseResult } from './phase-result.js';
import type { FaultOutcome, PhaseResult, RunResult, SegmentSummary, TimelineWindow } from './run-result.js';
import { checkShards, type ShardInput } from './shard-check.js';

export { checkShards, MergeError, type ShardInput } from './shard-check.js';

/** The n segments of one run as one result (checked first with checkShards); its thresholds are left empty. */
export function mergeShards(inputs: readonly ShardInput[]): RunResult {
  checkShards(inputs);
  const results = [...inputs].map((i) => i.result).sort((a, b) => a.shard!.index - b.shard!.index);
  const base = results.reduce((longest, r) => (r.phases.length > longest.phases.length ? r : longest), results[0]!);
  const phases = base.phases.map((p) =>
    mergePhases(results.map((r) => r.phases.find((q) => q.name === p.name)).filter((q): q is PhaseResult => q !== undefined)),
  );
  const failures = results.map((r) => r.failure).filter((f) => f !== undefined);
  const { shard: _shard, segments: _segments, ...rest } = results[0]!;
  return {
    ...rest,
    startedAt: results.map((r) => r.startedAt).sort()[0]!,
    wallMs: Math.max(...results.map((r) => r.wallMs)),
    interrupted: results.some((r) => r.interrupted),
    ...(failures.length > 0 ? { failure: failures.sort((a, b) => a.atMs - b.atMs)[0]! } : {}),
    phases,
    total: mergePhases(results.map((r) => r.total)),
    timeline: mergeTimelines(results.map((r) => r.timeline)),
    faults: mergeFaults(results.map((r) => r.faults)),
    thresholds: [],
    segments: results.map(segmentSummary),
  };
}

/** One phase (or the total, or a class) of several segments: counts added, histograms added. */
export function mergePhases(parts: readonly PhaseResult[]): PhaseResult {
  const first = parts[0]!;
  const sum = (pick: (p: PhaseResult) => number): number => parts.reduce((acc, p) => acc + pick(p), 0);
  const histogram = (pick: (p: PhaseResult) => string) => mergeHistograms(parts.map((p) => decodeHistogram(pick(p))));
  const statuses = addedMaps<number>(parts.map((p) => Object.entries(p.statuses).map(([k, v]) => [Number(k), v] as const)));
  const merged = phaseResult(
    {
      name: first.name,
      model: first.model,
      ...(first.vus !== undefined ? { vus: sum((p) => p.vus ?? 0) } : {}),
      startMs: first.startMs,
      ...addedCounts(parts),
      statuses,
      errors: addedMaps(parts.map((p) => Object.entries(p.errors))),
    },
    histogram((p) => p.histograms.latency),
    histogram((p) => p.histograms.ok),
    histogram((p) => p.histograms.service),
    histogram((p) => p.histograms.sendLag),
    // Segments cut short at different times each cover their own part; the merge covers the longest.
    Math.max(...parts.map((p) => p.durationMs)),
  );
  // A histogram knows its largest value to its bucket's resolution (3 significant digits) once added to;
  // each part knew its own exactly, so the merge's is the largest of theirs (and caps the percentiles).
  for (const key of ['latencyMs', 'okLatencyMs', 'serviceMs', 'sendLagMs'] as const) {
    const summary = merged[key];
    if (!summary) continue;
    const max = Math.max(...parts.map((p) => p[key]?.max ?? -Infinity));
    merged[key] = {
      ...summary,
      max,
      p50: Math.min(summary.p50, max),
      p90: Math.min(summary.p90, max),
      p95: Math.min(summary.p95, max),
      p99: Math.min(summary.p99, max),
      p999: Math.min(summary.p999, max),
    };
  }
  if (first.mix)
    merged.mix = first.mix.map((c) => mergePhases(parts.map((p) => p.mix?.find((m) => m.name === c.name)).filter((m): m is PhaseResult => m !== undefined)));
  return merged;
}

/** Window by window: counts added, histograms added (so p50/p99 are exact), the mock's state from whichever segment sampled it. */
export function mergeTimelines(timelines: readonly (readonly TimelineWindow[])[]): TimelineWindow[] {
  const longest = timelines.reduce((a, b) => (b.length > a.length ? b : a), timelines[0] ?? []);
  return longest.map((w, i) => {
    const windows = timelines.map((t) => t[i]).filter((x): x is TimelineWindow => x !== undefined);
    const h = mergeHistograms(windows.map((x) => decodeHistogram(x.histogram)));
    const sum = (pick: (x: TimelineWindow) => number): number => windows.reduce((acc, x) => acc + pick(x), 0);
    const mock = windows.find((x) => x.mock)?.mock;
    const proxy = windows.find((x) => x.proxy)?.proxy;
    const max = h.maxValue;
    // Written only when every segment had them: a sum over some segments would be wrong, not partial.
    const attempts = windows.every((x) => x.attempts !== undefined) ? { attempts: sum((x) => x.attempts ?? 0) } : {};
    const okLatencies = windows.every((x) => x.okHistogram !== undefined)
      ? { okHistogram: encodeHistogram(mergeHistograms(windows.map((x) => decodeHistogram(x.okHistogram!)))) }
      : {};
    return {
      t: w.t,
      durationMs: w.durationMs,
      offered: sum((x) => x.offered),
      ok: sum((x) => x.ok),
      failed: sum((x) => x.failed),
      dropped: sum((x) => x.dropped),
      ...attempts,
      p50: h.totalCount > 0 ? Math.min(h.getValueAtPercentile(50), max) / 1000 : null,
      p99: h.totalCount > 0 ? Math.min(h.getValueAtPercentile(99), max) / 1000 : null,
      histogram: encodeHistogram(h),
      ...okLatencies,
      ...(mock ? { mock } : {}),
      ...(proxy ? { proxy } : {}),
    };
  });
}

/** Each fault once: as the segment that applied it saw it (the others list it too, as not applied by them). */
function mergeFaults(lists: readonly (readonly FaultOutcome[])[]): FaultOutcome[] {
  const byKey = new Map<string, FaultOutcome>();
  for (const list of lists) {
    for (const f of list) {
      const key = `${f.at}\u0000${f.fault}\u0000${JSON.stringify(f.params)}`;
      const known = byKey.get(key);
      if (!known || (known.error !== undefined && f.error === undefined)) byKey.set(key, f);
    }
  }
  return [...byKey.values()].sort((a, b) => a.at - b.at);
}

function segmentSummary(result: RunResult): SegmentSummary {
  const t = result.total;
  return {
    index: result.shard!.index,
    offered: t.offered,
    achieved: t.rps.achieved,
    successRatio: t.successRatio,
    p99: t.okLatencyMs?.p99 ?? null,
    sendLagP99: t.sendLagMs?.p99 ?? null,
    startSkewMs: result.shard!.startSkewMs,
    interrupted: result.interrupted,
    ...(result.failure ? { failure: result.failure } : {}),
  };
}
