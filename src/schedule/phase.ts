// A run is a sequence of phases laid end to end in incident time. An open-model phase has an arrival
// rate that is constant or ramps linearly; a closed-model phase loops a fixed number of virtual users.

export interface OpenPhase {
  kind: 'open';
  name: string;
  /** Incident ms. */
  durationMs: number;
  /** Requests per second (incident time) at the start and at the end of the phase; equal when constant. */
  from: number;
  to: number;
}

export interface ClosedPhase {
  kind: 'closed';
  name: string;
  durationMs: number;
  vus: number;
}

export type Phase = OpenPhase | ClosedPhase;

/** A phase placed on the run's timeline. */
export type PlacedPhase = Phase & { index: number; startMs: number; endMs: number };

export function placePhases(phases: readonly Phase[]): PlacedPhase[] {
  let start = 0;
  return phases.map((phase, index) => {
    const placed = { ...phase, index, startMs: start, endMs: start + phase.durationMs };
    start = placed.endMs;
    return placed;
  });
}

export function totalDurationMs(phases: readonly Phase[]): number {
  return phases.reduce((sum, p) => sum + p.durationMs, 0);
}

/** Expected arrivals in an open phase: the area under its rate curve. */
export function phaseArea(phase: OpenPhase): number {
  return ((phase.from + phase.to) / 2) * (phase.durationMs / 1000);
}
