// What the proxy added, phase by phase, when the run went through it (`ramp --via-proxy`): the latency it
// held requests back by on purpose — add-latency, the wait for a place at cap-connections, bandwidth —
// as a mean per request, read from its state samples (cumulative counters, so the difference between the
// sample at a phase's end and the one at its start is that phase's). The latencies in the phase table
// include it; this says how much of them is the faults' own doing rather than the service's. The proxy's
// own cost when no fault acts is not in it (about 0.1 ms: docs/performance.md).
import { formatDuration } from '../../core/units.js';
import type { PhaseResult, ProxySample, RunResult, TimelineWindow } from '../../result/run-result.js';
import { formatCount, NONE } from './figures.js';
import { drawTable } from './plain-table.js';
import { sectionTitle, type RenderOptions, type Style } from './style.js';

const ZERO: ProxySample = { inFlight: 0, queued: 0, held: 0, active: 0, requests: 0, addedMs: 0, delayed: 0 };

/** The last sample taken at or before `ms` (window ends), or the proxy's start. */
function sampleAt(timeline: readonly TimelineWindow[], ms: number): ProxySample {
  let found = ZERO;
  for (const w of timeline) {
    if (w.t + w.durationMs > ms + 1e-6) break;
    if (w.proxy) found = w.proxy;
  }
  return found;
}

export interface PhaseAdded {
  phase: string;
  requests: number;
  delayed: number;
  addedMs: number;
}

/** Per phase: requests that reached the proxy, how many it delayed, and the ms it added to them in all. */
export function proxyAddedByPhase(timeline: readonly TimelineWindow[], phases: readonly PhaseResult[]): PhaseAdded[] {
  const last = [...timeline].reverse().find((w) => w.proxy)?.proxy ?? ZERO;
  return phases.map((p, i) => {
    const from = sampleAt(timeline, p.startMs);
    // The last phase takes everything sampled to the end (late completions are the last phase's).
    const to = i === phases.length - 1 ? last : sampleAt(timeline, p.startMs + p.durationMs);
    return {
      phase: p.name,
      requests: Math.max(0, to.requests - from.requests),
      delayed: Math.max(0, to.delayed - from.delayed),
      addedMs: Math.max(0, to.addedMs - from.addedMs),
    };
  });
}

/** Empty unless the run went through the proxy. */
export function renderProxyAdded(result: RunResult, options: RenderOptions, style: Style): string {
  if (!result.timeline.some((w) => w.proxy)) return '';
  const rows = proxyAddedByPhase(result.timeline, result.phases);
  const mean = (ms: number, n: number): string => (n === 0 ? NONE : ms === 0 ? '0' : formatDuration(ms / n));
  const table = drawTable({
    head: ['phase', 'requests', 'delayed', 'added\nper request', 'added\nper delayed'],
    align: ['left', 'right', 'right', 'right', 'right'],
    rows: rows.map((r) => [r.phase, formatCount(r.requests), formatCount(r.delayed), mean(r.addedMs, r.requests), mean(r.addedMs, r.delayed)]),
  });
  const where = result.profile.proxy ? ` at ${result.profile.proxy}` : '';
  const note = `(the proxy${where}: latency its faults added on purpose — add-latency, waits at cap-connections, bandwidth — mean per request reaching it; the latencies above include it)`;
  return [sectionTitle('proxy', note, options.width, style), table].join('\n');
}
