// The run's measurements: one PhaseRecorder per phase and the timeline. It receives the dispatcher's
// events in wall-clock ms and records everything in incident time (wall × speed).
import type { DispatchSink, LogicalRequest } from '../dispatch/request-dispatcher.js';
import type { PhaseResult, TimelineWindow } from '../report/result.js';
import type { PlacedPhase } from '../schedule/phase.js';
import { mergeHistograms } from './latency-histogram.js';
import { PhaseRecorder, phaseResult } from './phase-recorder.js';
import { TimelineRecorder } from './timeline.js';

export interface Measurements {
  phases: PhaseResult[];
  total: PhaseResult;
  timeline: TimelineWindow[];
}

export class RunRecorder implements DispatchSink {
  readonly phases: PhaseRecorder[];
  readonly timeline: TimelineRecorder;
  readonly #placed: readonly PlacedPhase[];
  readonly #t0: number;
  readonly #speed: number;

  constructor(placed: readonly PlacedPhase[], t0Wall: number, speed: number, windowMs?: number) {
    this.#placed = placed;
    this.#t0 = t0Wall;
    this.#speed = speed;
    this.phases = placed.map((p) => new PhaseRecorder(p.name, p.kind, p.startMs, p.durationMs, p.kind === 'closed' ? p.vus : undefined));
    const totalMs = placed.length > 0 ? placed[placed.length - 1]!.endMs : 0;
    this.timeline = new TimelineRecorder(totalMs, windowMs);
  }

  /** Incident ms since the start of the run. */
  incident(wall: number): number {
    return (wall - this.#t0) * this.#speed;
  }

  /** Wall ms of an incident time. */
  wall(incidentMs: number): number {
    return this.#t0 + incidentMs / this.#speed;
  }

  offered(phase: number, intendedIncidentMs: number): void {
    this.phases[phase]!.recordOffered();
    this.timeline.recordOffered(intendedIncidentMs);
  }

  dropped(phase: number, intendedWall: number): void {
    this.phases[phase]!.recordDropped();
    this.timeline.recordDropped(this.incident(intendedWall));
  }

  sent(request: LogicalRequest, lagMs: number): void {
    this.phases[request.phase]!.recordSent(request.vu >= 0 ? undefined : lagMs * this.#speed);
  }

  attempt(request: LogicalRequest, isRetry: boolean): void {
    this.phases[request.phase]!.recordAttempt(isRetry);
  }

  final(request: LogicalRequest, status: number, error: string | undefined, endWall: number, lastSentWall: number): void {
    const latencyMs = (endWall - request.intendedWall) * this.#speed;
    const serviceMs = (endWall - lastSentWall) * this.#speed;
    this.phases[request.phase]!.recordOutcome(status, error, latencyMs, serviceMs);
    this.timeline.recordCompleted(this.incident(endWall), status >= 200 && status < 300, latencyMs);
  }

  unfinished(request: LogicalRequest): void {
    this.phases[request.phase]!.recordUnfinished();
  }

  /** Results up to incident time `endMs` (the whole plan unless interrupted); phases not begun are left out. */
  measurements(endMs: number): Measurements {
    const started = this.phases.filter((p) => p.startMs < endMs || (p.startMs === 0 && endMs === 0));
    const covered = (p: PhaseRecorder): number => Math.max(0, Math.min(p.durationMs, endMs - p.startMs));
    const phases = started.map((p) => p.result(covered(p)));
    const sum = (pick: (p: PhaseRecorder) => number): number => started.reduce((acc, p) => acc + pick(p), 0);
    const mergeMaps = <K>(pick: (p: PhaseRecorder) => ReadonlyMap<K, number>): Map<K, number> => {
      const merged = new Map<K, number>();
      for (const p of started) for (const [k, v] of pick(p)) merged.set(k, (merged.get(k) ?? 0) + v);
      return merged;
    };
    const models = new Set(started.map((p) => p.model));
    const total = phaseResult(
      {
        name: 'total',
        model: models.size === 1 && models.has('closed') ? 'closed' : 'open',
        startMs: 0,
        offered: sum((p) => p.offered),
        sent: sum((p) => p.sent),
        dropped: sum((p) => p.dropped),
        ok: sum((p) => p.ok),
        failed: sum((p) => p.failed),
        unfinished: sum((p) => p.unfinished),
        attempts: sum((p) => p.attempts),
        retries: sum((p) => p.retries),
        statuses: mergeMaps((p) => p.statuses),
        errors: mergeMaps((p) => p.errors),
      },
      mergeHistograms(started.map((p) => p.latency)),
      mergeHistograms(started.map((p) => p.okLatency())),
      mergeHistograms(started.map((p) => p.service)),
      mergeHistograms(started.map((p) => p.sendLag)),
      started.reduce((acc, p) => acc + covered(p), 0),
    );
    return { phases, total, timeline: this.timeline.finish() };
  }

  get placed(): readonly PlacedPhase[] {
    return this.#placed;
  }
}
