// One run of load: the loop that joins schedule -> dispatch -> record, made of parts with one job each —
// the open model's arrivals (open-driver.ts), the closed model's users (closed-driver.ts), the wait for
// the next thing to do (pacer.ts), and how long a stopping run waits for what is in flight (drain.ts).
// It ends at the end of the schedule, on an interrupt, or when a part it depends on fails (the mock died
// or stopped answering): in every case promptly, with what was measured. What runs beside the load (the
// bundled mock's faults and state samples) has its own clock (run/mock-companion.ts) and meets this one
// only through the Timebase they share.
import { ExpectedStatuses } from '../../core/expected-statuses.js';
import type { RequestSettings } from '../../core/request.js';
import { formatSegment, shareOf, WHOLE, type Segment } from '../../core/segment.js';
import { Timebase } from '../../core/timebase.js';
import type { LogicalRequest } from '../../dispatch/logical-request.js';
import type { Outcome } from '../../dispatch/outcome.js';
import { RequestDispatcher, type DispatchSink } from '../../dispatch/request-dispatcher.js';
import { ClassPicker } from '../../dispatch/request-mix.js';
import type { ClientSettings } from '../../profile/profile.js';
import { RunRecorder, type Measurements } from '../../record/run-recorder.js';
import type { RunProgress } from '../../result/progress.js';
import type { RunFailure } from '../../result/run-result.js';
import { placePhases, totalDurationMs, type Phase, type PlacedPhase } from '../../schedule/phase.js';
import { ClosedDriver } from './closed-driver.js';
import { drainDeadlineWall, INTERRUPT_GRACE_WALL_MS } from './drain.js';
import { OpenDriver } from './open-driver.js';
import { Pacer } from './pacer.js';

/** The client as the profile sets it (incident time), plus what each request looks like. */
export type ClientOptions = ClientSettings & { request: RequestSettings };

export interface LoadPlan {
  /** Origin of the target, e.g. "http://127.0.0.1:8080"; the path is in client.request. */
  origin: string;
  phases: Phase[];
  speed: number;
  seed: number;
  client: ClientOptions;
  /** Timeline window in incident ms; chosen from the run length when absent. */
  windowMs?: number;
  /** The share of the run this one sends (the whole run unless --segment or --workers). */
  segment?: Segment;
}

/** What broke, as the part that noticed reports it; `atWall` is performance.now() time. */
export interface FailureReport {
  kind: RunFailure['kind'];
  message: string;
  atWall: number;
}

export interface RunMeasurement extends Measurements {
  startedAt: string;
  wallMs: number;
  interrupted: boolean;
  failure: RunFailure | undefined;
}

/** The dispatcher's events: recorded, and a request's end also told to the run (its user, the drain). */
class RunEvents implements DispatchSink {
  constructor(
    readonly recorder: RunRecorder,
    readonly ended: (request: LogicalRequest) => void,
  ) {}

  dropped(phase: number, intendedWall: number, cls: number): void {
    this.recorder.dropped(phase, intendedWall, cls);
  }

  sent(request: LogicalRequest, lagWallMs: number): void {
    this.recorder.sent(request, lagWallMs);
  }

  attempt(request: LogicalRequest, isRetry: boolean): void {
    this.recorder.attempt(request, isRetry);
  }

  final(request: LogicalRequest & { outcome: Outcome }): void {
    this.recorder.final(request);
    this.ended(request);
  }

  unfinished(request: LogicalRequest): void {
    this.recorder.unfinished(request);
  }
}

export class LoadRun {
  /** Resolves with what was measured when the run is over (at its end, or cut short). */
  readonly measurement: Promise<RunMeasurement>;
  readonly timebase: Timebase;
  readonly #placed: PlacedPhase[];
  readonly #totalMs: number;
  readonly #startedAt: string;
  readonly #client: ClientOptions;
  readonly #recorder: RunRecorder;
  readonly #dispatcher: RequestDispatcher;
  readonly #open: OpenDriver;
  readonly #closed: ClosedDriver;
  readonly #pacer: Pacer;
  #resolve!: (m: RunMeasurement) => void;
  #reject!: (err: unknown) => void;
  /** No new requests: the schedule is over or the run was stopped; what is in flight is finishing. */
  #draining = false;
  /** Wall time by which whatever is still in flight is aborted. */
  #stopBy = Infinity;
  #interrupted = false;
  #failure: RunFailure | undefined;
  /** Stopped before its schedule ran out (interrupt or failure): measured up to #endMs. */
  #cutShort = false;
  #endMs = 0;
  #finished = false;

  /** Starts a run: at once, or at the Timebase's t0 when that lies ahead (it waits, then sends from incident time 0). */
  static start(plan: LoadPlan, options: { timebase?: Timebase } = {}): LoadRun {
    return new LoadRun(plan, options.timebase ?? new Timebase(performance.now(), plan.speed));
  }

  private constructor(plan: LoadPlan, timebase: Timebase) {
    this.measurement = new Promise<RunMeasurement>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.timebase = timebase;
    this.#placed = placePhases(plan.phases);
    this.#totalMs = totalDurationMs(plan.phases);
    // It starts sending at t0, which may lie ahead (a synchronised start): that is when it started.
    this.#startedAt = new Date(performance.timeOrigin + Math.max(performance.now(), timebase.t0Wall)).toISOString();
    this.#client = plan.client;
    const { client } = plan;
    const mix = client.request.mix;
    const expected = ExpectedStatuses.parse(client.expectedStatuses);
    this.#recorder = new RunRecorder({ phases: this.#placed, timebase, windowMs: plan.windowMs, classNames: mix?.map((c) => c.name), expected });
    // The open model's classes follow its arrivals; each closed-model user draws its own (closed-driver.ts).
    const classes = new ClassPicker(mix, plan.seed, client.arrivals === 'uniform' ? 'even' : 'random');
    const segment = plan.segment ?? WHOLE;
    this.#dispatcher = new RequestDispatcher(
      {
        origin: plan.origin,
        request: client.request,
        // The run's connections and in-flight cap, shared among its segments as its users are.
        connections: shareOf(segment, client.connections),
        maxInFlight: shareOf(segment, client.maxInFlight),
        timeoutWallMs: timebase.wallDuration(client.timeoutMs),
        retry: {
          max: client.retries.max,
          backoff: client.retries.backoff,
          baseWallMs: timebase.wallDuration(client.retries.baseMs),
          capWallMs: timebase.wallDuration(client.retries.capMs),
          respectRetryAfter: client.retries.respectRetryAfter,
          budget: client.retries.budget,
          // Finagle's RetryBudget looks back 10 s; so do we, in incident time.
          budgetWindowWallMs: timebase.wallDuration(10_000),
        },
        speed: plan.speed,
        seed: plan.seed,
        // A segment's retries draw their jitter from a stream of its own (the whole run's is 'retry-jitter').
        jitterStream: segment.count === 1 ? 'retry-jitter' : `retry-jitter/${formatSegment(segment)}`,
        expected,
        redirects: client.redirects,
        tls: { rejectUnauthorized: !client.tls.insecure, ca: client.tls.ca },
      },
      new RunEvents(this.#recorder, (request) => this.#ended(request)),
    );
    this.#closed = new ClosedDriver(this.#placed, { mix, seed: plan.seed, timebase, recorder: this.#recorder, dispatcher: this.#dispatcher, segment });
    this.#open = new OpenDriver(plan.phases, { arrivals: client.arrivals, seed: plan.seed, classes, timebase, segment });
    this.#pacer = new Pacer(() => this.#tick());
    this.#tick();
  }

  get totalMs(): number {
    return this.#totalMs;
  }

  /** Ctrl-C: stop sending and retrying, give in-flight requests a moment, then abort them and report. */
  interrupt(): void {
    if (this.#finished || this.#interrupted) return;
    this.#interrupted = true;
    this.#stop(INTERRUPT_GRACE_WALL_MS);
  }

  /**
   * A part the run depends on broke (the mock exited or stopped answering): stop now, counting what is
   * in flight as unfinished (nothing will come back), and report it with what was measured.
   */
  fail(report: FailureReport): void {
    if (this.#finished || this.#failure) return;
    const atMs = Math.max(0, Math.min(this.#totalMs, this.timebase.incident(report.atWall)));
    this.#failure = { kind: report.kind, atMs, message: report.message };
    this.#stop(0);
  }

  progress(): RunProgress {
    // Before a synchronised start, at 0.
    const now = Math.max(0, this.timebase.incident(performance.now()));
    const phases = this.#recorder.phases;
    const sum = (pick: (p: (typeof phases)[number]) => number): number => phases.reduce((a, p) => a + pick(p), 0);
    const current = this.#placed.find((p) => now < p.endMs) ?? this.#placed.at(-1);
    return {
      incidentMs: Math.min(now, this.#totalMs),
      totalMs: this.#totalMs,
      phase: current?.name ?? '',
      offered: sum((p) => p.offered),
      ok: sum((p) => p.ok),
      failed: sum((p) => p.failed),
      dropped: sum((p) => p.dropped),
      inFlight: this.#dispatcher.inFlight,
      window: this.#recorder.timeline.closedWindows().at(-1),
      draining: this.#draining,
    };
  }

  #tick(): void {
    try {
      this.#step();
    } catch (err) {
      this.#finished = true;
      this.#pacer.stop();
      void this.#dispatcher.close().finally(() => this.#reject(err));
    }
  }

  #step(): void {
    const time = this.timebase;
    let now = performance.now();
    let incident = time.incident(now);
    if (!this.#draining) {
      this.#open.offerDue(incident, this.#recorder, this.#dispatcher);
      this.#closed.startDue(incident, now);
      if (incident >= this.#totalMs && !this.#open.behind(incident)) {
        this.#endMs = this.#totalMs;
        this.#startDraining(drainDeadlineWall(now, this.#client, time));
      }
    }

    now = performance.now();
    this.#dispatcher.poll(now);
    incident = time.incident(now);
    this.#recorder.timeline.closeUntil(incident);

    if (this.#draining && (this.#dispatcher.inFlight === 0 || now >= this.#stopBy)) {
      if (this.#dispatcher.inFlight > 0) this.#dispatcher.abortAll();
      void this.#finish(now);
      return;
    }
    // Only arrivals need sub-millisecond precision; windows, deadlines, retries and phase starts take a timer's.
    const arrivalWall = this.#draining ? Infinity : this.#open.nextWall();
    const nextMs = Math.min(this.#recorder.timeline.nextCloseMs(), this.#draining ? Infinity : Math.min(this.#closed.nextStartMs(), this.#totalMs));
    this.#pacer.waitFor(now, arrivalWall, Math.min(time.wall(nextMs), this.#dispatcher.nextWakeWall(), this.#stopBy));
  }

  /** Ends sending: in-flight requests get `graceWallMs`, then are aborted as unfinished. */
  #stop(graceWallMs: number): void {
    const now = performance.now();
    if (!this.#cutShort) {
      this.#cutShort = true;
      this.#endMs = Math.min(this.#totalMs, this.timebase.incident(now));
    }
    this.#startDraining(now + graceWallMs);
    this.#dispatcher.stopRetries();
    this.#pacer.soon();
  }

  /** No new requests from now on; those in flight have until `byWall` (or earlier, if already set). */
  #startDraining(byWall: number): void {
    this.#stopBy = Math.min(this.#stopBy, byWall);
    if (this.#draining) return;
    this.#draining = true;
    this.#open.stop();
    this.#closed.stop();
  }

  /** A request ended: its virtual user sends the next; while draining, the last one ends the wait. */
  #ended(request: LogicalRequest): void {
    this.#closed.ended(request);
    if (this.#draining && this.#dispatcher.inFlight === 0) this.#pacer.soon();
  }

  async #finish(nowWall: number): Promise<void> {
    this.#finished = true;
    this.#pacer.stop();
    try {
      await this.#dispatcher.close();
      this.#resolve({
        ...this.#recorder.measurements(this.#cutShort ? this.#endMs : this.#totalMs),
        startedAt: this.#startedAt,
        wallMs: nowWall - this.timebase.t0Wall,
        interrupted: this.#interrupted,
        failure: this.#failure,
      });
    } catch (err) {
      this.#reject(err);
    }
  }
}
