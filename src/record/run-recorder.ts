// The run's measurements: one PhaseRecorder per phase and the timeline. It receives the dispatcher's
// events in wall-clock ms and records everything in incident time (wall × speed).
import type { DispatchSink, LogicalRequest } from '../dispatch/request-dispatcher.js';
import type { PhaseResult, TimelineWindow } from '../result/run-result.js';
import type { PlacedPhase } from '../schedule/phase.js';
import { mergedResult, PhaseRecorder } from './phase-recorder.js';
import { ExpectedStatuses } from '../core/expected-statuses.js';
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

  readonly #expected: ExpectedStatuses;

  constructor(placed: readonly PlacedPhase[], t0Wall: number, speed: number, windowMs?: number, classNames?: readonly string[], expected = ExpectedStatuses.DEFAULT) {
    this.#placed = placed;
    this.#t0 = t0Wall;
    this.#speed = speed;
    this.#expected = expected;
    this.phases = placed.map((p) => new PhaseRecorder(p.name, p.kind, p.startMs, p.durationMs, p.kind === 'closed' ? p.vus : undefined, classNames, expected));
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

  // With a request mix, each event is recorded for the phase and again for its class in the phase.

  offered(phase: number, intendedIncidentMs: number, cls = 0): void {
    const p = this.phases[phase]!;
    p.recordOffered();
    p.classes?.[cls]!.recordOffered();
    this.timeline.recordOffered(intendedIncidentMs);
  }

  dropped(phase: number, intendedWall: number, cls: number): void {
    const p = this.phases[phase]!;
    p.recordDropped();
    p.classes?.[cls]!.recordDropped();
    this.timeline.recordDropped(this.incident(intendedWall));
  }

  sent(request: LogicalRequest, lagMs: number): void {
    const p = this.phases[request.phase]!;
    const lag = request.vu >= 0 ? undefined : lagMs * this.#speed;
    p.recordSent(lag);
    p.classes?.[request.cls]!.recordSent(lag);
  }

  attempt(request: LogicalRequest, isRetry: boolean): void {
    const p = this.phases[request.phase]!;
    p.recordAttempt(isRetry);
    p.classes?.[request.cls]!.recordAttempt(isRetry);
  }

  final(request: LogicalRequest, status: number, error: string | undefined, endWall: number, lastSentWall: number): void {
    const latencyMs = (endWall - request.intendedWall) * this.#speed;
    const serviceMs = (endWall - lastSentWall) * this.#speed;
    const p = this.phases[request.phase]!;
    p.recordOutcome(status, error, latencyMs, serviceMs);
    p.classes?.[request.cls]!.recordOutcome(status, error, latencyMs, serviceMs);
    this.timeline.recordCompleted(this.incident(endWall), this.#expected.has(status), latencyMs);
  }

  unfinished(request: LogicalRequest): void {
    const p = this.phases[request.phase]!;
    p.recordUnfinished();
    p.classes?.[request.cls]!.recordUnfinished();
  }

  /** Results up to incident time `endMs` (the whole plan unless interrupted); phases not begun are left out. */
  measurements(endMs: number): Measurements {
    const started = this.phases.filter((p) => p.startMs < endMs || (p.startMs === 0 && endMs === 0));
    const covered = (p: PhaseRecorder): number => Math.max(0, Math.min(p.durationMs, endMs - p.startMs));
    const phases = started.map((p) => p.result(covered(p)));
    const coveredMs = started.reduce((acc, p) => acc + covered(p), 0);
    const total = mergedResult('total', started, coveredMs);
    const classCount = started[0]?.classes?.length ?? 0;
    if (classCount > 0) {
      total.mix = Array.from({ length: classCount }, (_, i) => mergedResult(started[0]!.classes![i]!.name, started.map((p) => p.classes![i]!), coveredMs));
    }
    return { phases, total, timeline: this.timeline.finish() };
  }

  get placed(): readonly PlacedPhase[] {
    return this.#placed;
  }
}
