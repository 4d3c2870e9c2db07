// The run's measurements: one PhaseRecorder per phase and the timeline. It receives the dispatcher's
// events in wall-clock ms and records everything in incident time (through the run's Timebase).
import { Timebase } from '../core/timebase.js';
import type { LogicalRequest } from '../dispatch/logical-request.js';
import type { Outcome } from '../dispatch/outcome.js';
import type { DispatchSink } from '../dispatch/request-dispatcher.js';
import type { PhaseResult, TimelineWindow } from '../result/run-result.js';
import type { PlacedPhase } from '../schedule/phase.js';
import { mergedResult, PhaseRecorder } from './phase-recorder.js';
import { ExpectedStatuses } from '../core/expected-statuses.js';
import { TimelineRecorder } from './timeline.js';

/** Until begin() there is no t0: a recorder gets no events before its run starts. */
const NOT_BEGUN = new Timebase(Number.NaN, 1);

export interface Measurements {
  phases: PhaseResult[];
  total: PhaseResult;
  timeline: TimelineWindow[];
}

export interface RunRecorderOptions {
  phases: readonly PlacedPhase[];
  /**
   * Wall and incident time of this run: events arrive in wall ms and are recorded in incident ms. A
   * recorder built before its run's t0 is known (to cost nothing at the start) is given it by begin().
   */
  timebase?: Timebase | undefined;
  /** Timeline window in incident ms; chosen from the run's length when absent. */
  windowMs?: number | undefined;
  /** With a request mix: its classes' names, in mix order. */
  classNames?: readonly string[] | undefined;
  expected?: ExpectedStatuses | undefined;
}

export class RunRecorder implements DispatchSink {
  readonly phases: PhaseRecorder[];
  readonly timeline: TimelineRecorder;
  #time: Timebase;
  readonly #expected: ExpectedStatuses;

  constructor(options: RunRecorderOptions) {
    this.#time = options.timebase ?? NOT_BEGUN;
    this.#expected = options.expected ?? ExpectedStatuses.DEFAULT;
    this.phases = options.phases.map(
      (p) =>
        new PhaseRecorder({
          name: p.name,
          model: p.kind,
          startMs: p.startMs,
          durationMs: p.durationMs,
          vus: p.kind === 'closed' ? p.vus : undefined,
          classNames: options.classNames,
          expected: this.#expected,
        }),
    );
    this.timeline = new TimelineRecorder(options.phases.at(-1)?.endMs ?? 0, options.windowMs);
  }

  /** The run's t0 is now known: events from here on are recorded against it. */
  begin(timebase: Timebase): void {
    this.#time = timebase;
  }

  offered(phase: number, intendedIncidentMs: number, cls = 0): void {
    this.phases[phase]!.recordOffered(cls);
    this.timeline.recordOffered(intendedIncidentMs);
  }

  dropped(phase: number, intendedWall: number, cls: number): void {
    this.phases[phase]!.recordDropped(cls);
    this.timeline.recordDropped(this.#time.incident(intendedWall));
  }

  sent(request: LogicalRequest, lagWallMs: number): void {
    this.phases[request.phase]!.recordSent(request.model === 'closed' ? undefined : this.#time.incidentDuration(lagWallMs), request.cls);
  }

  attempt(request: LogicalRequest, isRetry: boolean): void {
    this.phases[request.phase]!.recordAttempt(isRetry, request.cls);
  }

  final(request: LogicalRequest & { outcome: Outcome }): void {
    const latencyMs = this.#time.incidentDuration(request.lastEndWall - request.intendedWall);
    const serviceMs = this.#time.incidentDuration(request.lastEndWall - request.lastSentWall);
    const { outcome } = request;
    this.phases[request.phase]!.recordOutcome(outcome, latencyMs, serviceMs, request.cls);
    this.timeline.recordCompleted(
      this.#time.incident(request.lastEndWall),
      outcome.kind === 'status' && this.#expected.has(outcome.status),
      latencyMs,
      request.attempts,
    );
  }

  unfinished(request: LogicalRequest): void {
    this.phases[request.phase]!.recordUnfinished(request.cls);
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
      total.mix = Array.from({ length: classCount }, (_, i) =>
        mergedResult(
          started[0]!.classes![i]!.name,
          started.map((p) => p.classes![i]!),
          coveredMs,
        ),
      );
    }
    return { phases, total, timeline: this.timeline.finish() };
  }
}
