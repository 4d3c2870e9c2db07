// What every time chart of a run shares: its x range (the planned length, or longer if the timeline
// runs on), the phases as bands and the faults as markers, in seconds of incident time.
import type { FaultOutcome, PhaseResult, RunResult } from '../../../result/run-result.js';
import type { FaultMarker, PhaseBand } from '../chart-data.js';

export function phaseBands(phases: readonly PhaseResult[]): PhaseBand[] {
  return phases.map((p) => ({ from: p.startMs / 1000, to: (p.startMs + p.durationMs) / 1000, label: p.name }));
}

/** "shrink-fleet workers=4"; a fault that could not be applied says so. */
export function faultMarkers(faults: readonly FaultOutcome[]): FaultMarker[] {
  return faults.map((f) => {
    const params = Object.entries(f.params)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    const label = params === '' ? f.fault : `${f.fault} ${params}`;
    return { at: f.at / 1000, label: f.error === undefined ? label : `${label} (not applied)`, failed: f.error !== undefined };
  });
}

/** From 0 to the end of the last phase or of the last window, whichever is later. */
export function timeRange(results: readonly RunResult[]): [number, number] {
  let end = 0;
  for (const r of results) {
    end = Math.max(end, r.plannedMs, ...r.phases.map((p) => p.startMs + p.durationMs));
    const last = r.timeline.at(-1);
    if (last) end = Math.max(end, last.t + last.durationMs);
  }
  return [0, Math.max(end / 1000, 1)];
}
