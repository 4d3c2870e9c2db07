// One run of load: the loop that joins schedule -> dispatch -> record, made of parts with one job each —
// the open model's arrivals (open-driver.ts), the closed model's users (closed-driver.ts), the wait for
// the next thing to do (pacer.ts), and how long a stopping run waits for what is in flight (drain.ts).
// It ends at the end of the schedule, on an interrupt, or when a part it depends on fails (the mock died
// or stopped answering): in every case promptly, with what was measured. What runs beside the load (the
// bundled mock's faults and state samples) has its own clock (run/mock-companion.ts) and meets this one
// only through the Timebase they share.
import { WALL_CLOCK, type Clock } from '../../core/clock.js';
import { ExpectedStatuses } from '../../core/expected-statuses.js';
import type { RequestSettings } from '../../core/request.js';
import { formatSegment, shareOf, WHOLE, type Segment } from '../../core/segment.js';
import { Timebase } from '../../core/timebase.js';
import type { LogicalRequest } from '../../dispatch/logical-request.js';
import type { Outcome } from '../../dispatch/outcome.js';
import { RequestDispatcher, type DispatchSink } from '../../dispatch/request-dispatcher.js';
import { ClassPicker } from '../../dispatch/request-mix.js';
import type { Transport } from '../../core/transport.js';
import { UndiciTransport } from '../../dispatch/undici-transport.js';
import type { ClientSettings } from '../../profile/profile.js';
import { RunRecorder, type Measurements } from '../../record/run-recorder.js';
import type { RunProgress } from '../../result/progress.js';
import type { Readiness, RunFailure } from '../../result/run-result.js';
import { placePhases, totalDurationMs, type Phase, type PlacedPhase } from '../../schedule/phase.js';
import { ClosedDriver } from './closed-driver.js';
import { drainDeadlineWall, INTERRUPT_GRACE_WALL_MS } from './drain.js';
import { OpenDriver } from './open-driver.js';
import { Pacer, type Waiter, type WaiterFactory } from './pacer.js';
import { PRECONNECT_KEEP_WALL_MS, preconnectCount, PRECONNECT_WAIT_WALL_MS } from './preconnect.js';
import { collectGarbage, WARM_UP_OVERRUN_WALL_MS, warmUpPhases, WarmUpSink } from './warm-up.js';

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

/** What broke, as the part that noticed reports it; `atWall` is the run's clock's time. */
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
  readiness: Readiness;
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

/** A run built and made ready, waiting for its t0: everything that costs is done here, not after t0. */
export class PreparedLoad {
  #taken = false;

  constructor(
    readonly plan: LoadPlan,
    readonly readiness: Readiness,
    readonly transport: Transport,
    readonly recorder: RunRecorder,
    readonly placed: PlacedPhase[],
    readonly world: World,
  ) {}

  /** Starts sending at the Timebase's t0 (now when none is given; it waits when t0 lies ahead). */
  start(timebase?: Timebase): LoadRun {
    if (this.#taken) throw new Error('a prepared run starts once');
    this.#taken = true;
    return LoadRun.fromPrepared(this, timebase ?? new Timebase(this.world.clock.now(), this.plan.speed));
  }

  /** Releases what was opened, for a run that will not start after all. */
  async close(): Promise<void> {
    this.#taken = true;
    await this.transport.close();
  }
}

export interface PrepareOptions {
  /** Warm the generator's code up against an in-process sink first (default true); the warm-up's own run has none. */
  warmUp?: boolean;
  /** Open the first second's connections ahead (default true); the warm-up's own run opens its own as it goes. */
  preconnect?: boolean;
  /**
   * Another world than the wall and sockets: a virtual run's clock, its transport (the model in process)
   * and its waiter. Nothing is warmed up or opened ahead there: no time passes that could be late.
   */
  world?: World;
}

/** Whose time it is, how requests go, how the loop waits: the wall, undici and timers unless a virtual run says otherwise. */
export interface World {
  clock: Clock;
  transport?: Transport;
  waiter?: WaiterFactory;
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
  readonly #pacer: Waiter;
  readonly #clock: Clock;
  readonly #readiness: Readiness;
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

  /**
   * Builds a run and makes it ready to keep its schedule from its first arrival: the hot path warmed up
   * against a sink of its own (warm-up.ts), the connections its first second needs opened
   * (preconnect.ts), every recorder and template built. Then start() it at its t0.
   */
  static async prepare(plan: LoadPlan, options: PrepareOptions = {}): Promise<PreparedLoad> {
    const placed = placePhases(plan.phases);
    const segment = plan.segment ?? WHOLE;
    const { client } = plan;
    const recorder = (): RunRecorder =>
      new RunRecorder({
        phases: placed,
        windowMs: plan.windowMs,
        classNames: client.request.mix?.map((c) => c.name),
        expected: ExpectedStatuses.parse(client.expectedStatuses),
      });
    const given = options.world;
    if (given?.transport) {
      const world: World = { clock: given.clock, transport: given.transport, ...(given.waiter ? { waiter: given.waiter } : {}) };
      return new PreparedLoad(plan, { warmUpRequests: 0, warmUpWallMs: 0, preconnected: 0 }, given.transport, recorder(), placed, world);
    }
    const warm = options.warmUp === false ? [] : warmUpPhases(busiestWallRate(plan), firstUsers(plan));
    const warmed = warm.length > 0 ? await warmUp(plan, warm) : { requests: 0, wallMs: 0 };
    // The recorders before the collection, not after: a 100-class mix has 800 histograms of 94 kB
    // (75 MB of typed arrays), and memory allocated after the collection would make the run's first
    // seconds pay for a large one.
    const recorded = recorder();
    // The warm-up's garbage collected now rather than in the run's first second.
    if (warm.length > 0) collectGarbage();
    const connections = shareOf(segment, client.connections);
    const timeoutWallMs = plan.client.timeoutMs / plan.speed;
    const transport = new UndiciTransport({
      origin: plan.origin,
      connections,
      connectTimeoutWallMs: Math.max(1_000, Math.min(timeoutWallMs, 10_000)),
      tls: { rejectUnauthorized: !client.tls.insecure, ca: client.tls.ca },
    });
    const opened = options.preconnect === false ? { preconnected: 0, connectWallMs: undefined } : await preconnect(transport, plan, connections);
    const readiness: Readiness = { warmUpRequests: warmed.requests, warmUpWallMs: warmed.wallMs, preconnected: opened.preconnected };
    if (opened.connectWallMs !== undefined) readiness.connectWallMs = opened.connectWallMs;
    return new PreparedLoad(plan, readiness, transport, recorded, placed, { clock: given?.clock ?? WALL_CLOCK, transport });
  }

  /** @internal PreparedLoad.start(). */
  static fromPrepared(prepared: PreparedLoad, timebase: Timebase): LoadRun {
    return new LoadRun(prepared, timebase);
  }

  private constructor(prepared: PreparedLoad, timebase: Timebase) {
    const plan = prepared.plan;
    this.#readiness = prepared.readiness;
    const clock = (this.#clock = prepared.world.clock);
    this.measurement = new Promise<RunMeasurement>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.timebase = timebase;
    this.#placed = prepared.placed;
    this.#totalMs = totalDurationMs(plan.phases);
    // It starts sending at t0, which may lie ahead (a synchronised start): that is when it started.
    this.#startedAt = new Date(clock.epochOrigin + Math.max(clock.now(), timebase.t0Wall)).toISOString();
    this.#client = plan.client;
    const { client } = plan;
    const mix = client.request.mix;
    const expected = ExpectedStatuses.parse(client.expectedStatuses);
    this.#recorder = prepared.recorder;
    this.#recorder.begin(timebase);
    // The open model's classes follow its arrivals; each closed-model user draws its own (closed-driver.ts).
    const classes = new ClassPicker(mix, plan.seed, client.arrivals === 'uniform' ? 'even' : 'random');
    const segment = plan.segment ?? WHOLE;
    this.#dispatcher = new RequestDispatcher(
      {
        origin: plan.origin,
        request: client.request,
        // The run's in-flight cap, shared among its segments as its users are (its connections, too: the transport's).
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
        clock,
      },
      new RunEvents(this.#recorder, (request) => this.#ended(request)),
      prepared.transport,
    );
    this.#closed = new ClosedDriver(this.#placed, { mix, seed: plan.seed, timebase, recorder: this.#recorder, dispatcher: this.#dispatcher, segment });
    this.#open = new OpenDriver(plan.phases, { arrivals: client.arrivals, seed: plan.seed, classes, timebase, segment });
    const tick = (): void => this.#tick();
    this.#pacer = prepared.world.waiter ? prepared.world.waiter(tick) : new Pacer(tick);
    // Connections opened ahead and still unused a second into the run were not needed: closed, so that
    // they hold no slot at a server (or at the proxy's cap-connections) for the rest of the run.
    const transport = prepared.transport;
    if (transport instanceof UndiciTransport)
      setTimeout(() => transport.dropStash(), Math.max(0, timebase.t0Wall - clock.now()) + PRECONNECT_KEEP_WALL_MS).unref();
    this.#tick();
  }

  get totalMs(): number {
    return this.#totalMs;
  }

  /** Ctrl-C: stop sending and retrying, give in-flight requests a moment (`graceWallMs`), then abort them and report. */
  interrupt(graceWallMs = INTERRUPT_GRACE_WALL_MS): void {
    if (this.#finished || this.#interrupted) return;
    this.#interrupted = true;
    this.#stop(graceWallMs);
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
    const now = Math.max(0, this.timebase.incident(this.#clock.now()));
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
    let now = this.#clock.now();
    let incident = time.incident(now);
    if (!this.#draining) {
      this.#open.offerDue(incident, this.#recorder, this.#dispatcher);
      this.#closed.startDue(incident, now);
      if (incident >= this.#totalMs && !this.#open.behind(incident)) {
        this.#endMs = this.#totalMs;
        this.#startDraining(drainDeadlineWall(now, this.#client, time));
      }
    }

    now = this.#clock.now();
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
    const now = this.#clock.now();
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
        readiness: this.#readiness,
      });
    } catch (err) {
      this.#reject(err);
    }
  }
}

/** The most arrivals per wall second any open-model phase offers this segment. */
function busiestWallRate(plan: LoadPlan): number {
  const share = (plan.segment ?? WHOLE).count;
  const rates = plan.phases.map((p) => (p.kind === 'open' ? Math.max(p.from, p.to) : 0));
  return (Math.max(0, ...rates) * plan.speed) / share;
}

/** The virtual users of this segment's busiest closed-model phase. */
function firstUsers(plan: LoadPlan): number {
  const segment = plan.segment ?? WHOLE;
  return Math.max(0, ...plan.phases.map((p) => (p.kind === 'closed' ? shareOf(segment, p.vus) : 0)));
}

/** Runs the warm-up schedule through a run of its own, against a sink of its own: nothing reaches the target. */
async function warmUp(plan: LoadPlan, phases: Phase[]): Promise<{ requests: number; wallMs: number }> {
  const started = performance.now();
  const sink = await WarmUpSink.start();
  try {
    const client: ClientOptions = { ...plan.client, retries: { ...plan.client.retries, max: 0 }, timeoutMs: 10_000, redirects: 0, maxInFlight: 10_000 };
    const prepared = await LoadRun.prepare({ origin: sink.origin, phases, speed: 1, seed: plan.seed, client }, { warmUp: false, preconnect: false });
    const run = prepared.start();
    // On a starved machine a cold process is slow at everything: the warm-up gets its schedule and a
    // little more, then stops where it is (what it did is warm all the same), so the run is not held up.
    const budget = setTimeout(() => run.interrupt(0), totalDurationMs(phases) + WARM_UP_OVERRUN_WALL_MS);
    const measured = await run.measurement.finally(() => clearTimeout(budget));
    return { requests: measured.total.sent, wallMs: performance.now() - started };
  } finally {
    await sink.close();
  }
}

/** Opens the connections the run's first second needs, waiting PRECONNECT_WAIT_WALL_MS at most. */
async function preconnect(
  transport: UndiciTransport,
  plan: LoadPlan,
  connections: number,
): Promise<{ preconnected: number; connectWallMs: number | undefined }> {
  const first = await withIn(transport.preconnect(1), PRECONNECT_WAIT_WALL_MS);
  if (!first || first.opened === 0) return { preconnected: first?.opened ?? 0, connectWallMs: first?.connectWallMs };
  const more = preconnectCount({ wallRate: busiestWallRate(plan), users: firstUsers(plan), connections, connectWallMs: first.connectWallMs! }) - 1;
  const rest = more > 0 ? await withIn(transport.preconnect(more), PRECONNECT_WAIT_WALL_MS) : undefined;
  return { preconnected: transport.stashed, connectWallMs: first.connectWallMs ?? rest?.connectWallMs };
}

async function withIn<T>(promise: Promise<T>, wallMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), wallMs)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
