// Each timeline window's figures as the charts draw them: rates per second of incident time, the share
// that succeeded, and the latency percentiles read from the window's own HDR histogram (every request
// that completed in it, failures included). Windows an interrupted run never reached are left out, as
// in the terminal timeline.
import { decodeHistogram, summarize } from '../../../core/latency-histogram.js';
import type { PhaseResult, TimelineWindow } from '../../../result/run-result.js';
import { untilEnd } from '../../text/timeline-chart.js';

export interface WindowFigures {
  /** The window's middle, seconds of incident time: where its point is drawn. */
  x: number;
  offeredPerSecond: number;
  okPerSecond: number;
  failedPerSecond: number;
  droppedPerSecond: number;
  /** ok ÷ (ok + failed + dropped) of what finished in the window; null when nothing did. */
  success: number | null;
  /** Latency of what completed in the window, incident ms; null when nothing did. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  mock: { queued: number; busy: number; workers: number; routersReady: number | null } | null;
}

export function windowFigures(timeline: readonly TimelineWindow[], phases: readonly PhaseResult[]): WindowFigures[] {
  return untilEnd(timeline, phases).map((w) => {
    const seconds = w.durationMs / 1000;
    const perSecond = (n: number): number => (seconds > 0 ? n / seconds : 0);
    const finished = w.ok + w.failed + w.dropped;
    const latency = summarize(decodeHistogram(w.histogram));
    return {
      x: (w.t + w.durationMs / 2) / 1000,
      offeredPerSecond: perSecond(w.offered),
      okPerSecond: perSecond(w.ok),
      failedPerSecond: perSecond(w.failed),
      droppedPerSecond: perSecond(w.dropped),
      success: finished > 0 ? w.ok / finished : null,
      p50: latency?.p50 ?? null,
      p90: latency?.p90 ?? null,
      p99: latency?.p99 ?? null,
      max: latency?.max ?? null,
      mock: w.mock ? { queued: w.mock.queued, busy: w.mock.busy, workers: w.mock.workers, routersReady: w.mock.routersReady ?? null } : null,
    };
  });
}
