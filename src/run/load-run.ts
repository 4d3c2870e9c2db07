// One run: the clock that joins schedule -> dispatch -> record. It pulls intended send times from the
// ArrivalSchedule, hands each to the RequestDispatcher the moment it is due (never early; late ones
// are measured as send lag and their latency still counts from the intended time), loops virtual
// users in closed-model phases, closes timeline windows, and lets a companion (the bundled mock)
// inject faults at their times and sample its state once per window. It ends at the end of the
// schedule, on an interrupt, or when a part it depends on fails (the mock died or stopped answering):
// in every case promptly, with what was measured, never waiting on the mock for long.
import { ArrivalSchedule } from '../schedule/arrival-schedule.js';
import { placePhases, type Phase, type PlacedPhase } from '../schedule/phase.js';
import { RequestDispatcher, type DispatchSink, type LogicalRequest } from '../dispatch/request-dispatcher.js';
import { ClassPicker, type RequestTemplate } from '../dispatch/request-mix.js';
import { ExpectedStatuses } from '../core/expected-statuses.js';
import type { ClientSettings } from '../profile/profile.js';
import { RunRecorder, type Measurements } from '../record/run-recorder.js';
import type { FaultRecord, MockSample, RunFailure, TimelineWindow } from '../result/run-result.js';

/** The client as the profile sets it (incident time), plus what each request looks like. */
export type ClientOptions = ClientSettings & { request: RequestTemplate };

export interface LoadPlan {
  /** Origin of the target, e.g. "http://127.0.0.1:8080"; the path is in client.request. */
  origin: string;
  phases: Phase[];
  speed: number;
  seed: number;
  client: ClientOptions;
  /** Timeline window in incident ms; chosen from the run length when absent. */
  windowMs?: number;
}

/** Something that runs beside the load: the bundled mock applies faults and reports its state. */
export interface RunCompanion {
  /** Incident time of the next thing it must do (Infinity when nothing). */
  nextEventMs(): number;
  /** Called on every tick with the current incident time. */
  tick(incidentMs: number): void;
  /** The state to show in the timeline window that just closed; the run has at most one in flight. */
  sample(): Promise<MockSample | undefined>;
  /** Resolves once nothing it sent is still waiting for an answer (the run waits for it, briefly, at the end). */
  idle(): Promise<void>;
  /** Faults applied so far, for the result. */
  faults(): FaultRecord[];
}

/** What broke, as the part that noticed reports it; `atWall` is performance.now() time. */
export interface FailureReport {
  kind: RunFailure['kind'];
  message: string;
  atWall: number;
}

export interface RunProgress {
  incidentMs: number;
  totalMs: number;
  phase: string;
  offered: number;
  ok: number;
  failed: number;
  dropped: number;
  inFlight: number;
  /** The last closed timeline window, if any. */
  window: TimelineWindow | undefined;
  draining: boolean;
}

export interface RunMeasurement extends Measurements {
  startedAt: string;
  wallMs: number;
  interrupted: boolean;
  failure: RunFailure | undefined;
  faults: FaultRecord[];
}

/** After the schedule ends, in-flight requests get their own timeout to finish; an interrupt gets this long. */
const INTERRUPT_GRACE_WALL_MS = 500;

/** At the end, how long the companion's last answers (the last window's sample) are waited for. */
const FINISH_WAIT_WALL_MS = 1_000;

/**
 * Arrivals sent in one turn of the loop before it yields to I/O (signals included), even when more are
 * already due: at an absurd rate the schedule is always behind, and a loop that never yields ignores
 * SIGTERM. Far above what a real rate puts in one turn (10k/s is ~10 per millisecond tick).
 */
const ARRIVALS_PER_TURN = 1024;

/** Longest blocking sleep before the loop yields to I/O: what a response can be held up by. */
const SLEEP_SLICE_MS = 0.1;
/** Never notified: Atomics.wait on it is a precise sleep. */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

export class LoadRun implements DispatchSink {
  readonly #plan: LoadPlan;
  readonly #placed: PlacedPhase[];
  readonly #totalMs: number;
  readonly #companion: RunCompanion | undefined;
  #schedule!: ArrivalSchedule;
  #recorder!: RunRecorder;
  #dispatcher!: RequestDispatcher;
  #classes!: ClassPicker;
  #t0 = 0;
  #startedAt = '';
  #nextArrival = Infinity;
  /** Closed-model phases in start order, and the next one to start. */
  #closedPhases: PlacedPhase[] = [];
  #nextClosed = 0;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #draining = false;
  /** Wall time by which whatever is still in flight is aborted (after an interrupt or a drain). */
  #stopBy = Infinity;
  #interrupted = false;
  #failure: RunFailure | undefined;
  /** Stopped before its schedule ran out (interrupt or failure): measured up to #endIncident. */
  #cutShort = false;
  #endIncident = 0;
  /** No more sending: in-flight requests are being closed, the companion's last answers awaited. */
  #finished = false;
  /** The result is out; anything arriving later (a late sample, a failure) changes nothing. */
  #resolved = false;
  /** Ends the wait at the finish early (an interrupt or a failure while finishing). */
  #hurry: (() => void) | undefined;
  #hurried = false;
  #sampling = false;
  #sampleWanted = false;
  #sampled = 0;
  #resolve!: (m: RunMeasurement) => void;
  #reject!: (err: unknown) => void;

  constructor(plan: LoadPlan, companion?: RunCompanion) {
    this.#plan = plan;
    this.#placed = placePhases(plan.phases);
    this.#totalMs = this.#placed.at(-1)?.endMs ?? 0;
    this.#companion = companion;
  }

  get totalMs(): number {
    return this.#totalMs;
  }

  run(): Promise<RunMeasurement> {
    const plan = this.#plan;
    const speed = plan.speed;
    return new Promise<RunMeasurement>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      this.#startedAt = new Date().toISOString();
      this.#t0 = performance.now();
      this.#schedule = new ArrivalSchedule(plan.phases, { arrivals: plan.client.arrivals, seed: plan.seed });
      const mix = plan.client.request.mix;
      const expected = ExpectedStatuses.parse(plan.client.expectedStatuses);
      this.#recorder = new RunRecorder(this.#placed, this.#t0, speed, plan.windowMs, mix?.map((c) => c.name), expected);
      this.#classes = new ClassPicker(mix, plan.seed, plan.client.arrivals === 'uniform' ? 'even' : 'random');
      const retries = plan.client.retries;
      this.#dispatcher = new RequestDispatcher(
        {
          origin: plan.origin,
          request: plan.client.request,
          connections: plan.client.connections,
          maxInFlight: plan.client.maxInFlight,
          timeoutMs: plan.client.timeoutMs / speed,
          retry: {
            max: retries.max,
            backoff: retries.backoff,
            baseMs: retries.baseMs / speed,
            capMs: retries.capMs / speed,
            respectRetryAfter: retries.respectRetryAfter,
            budget: retries.budget,
            budgetWindowMs: 10_000 / speed,
          },
          speed,
          seed: plan.seed,
          expected,
          redirects: plan.client.redirects,
          tls: { rejectUnauthorized: !plan.client.tls.insecure, ca: plan.client.tls.ca },
        },
        this,
      );
      this.#closedPhases = this.#placed.filter((p) => p.kind === 'closed');
      this.#nextArrival = this.#schedule.next();
      this.#tick();
    });
  }

  /**
   * Ctrl-C: stop sending and retrying, give in-flight requests a moment, then abort them and report.
   * While finishing (everything measured), it ends the wait for the mock's last answers.
   */
  interrupt(): void {
    if (this.#finished) return this.#hurryFinish();
    if (this.#interrupted || !this.#recorder) return;
    this.#interrupted = true;
    this.#stop(INTERRUPT_GRACE_WALL_MS);
  }

  /**
   * A part the run depends on broke (the mock exited or stopped answering): stop now, counting what is
   * in flight as unfinished (nothing will come back), and report it with what was measured.
   */
  fail(report: FailureReport): void {
    if (this.#resolved || this.#failure || !this.#recorder) return;
    const atMs = Math.max(0, Math.min(this.#totalMs, this.#recorder.incident(report.atWall)));
    this.#failure = { kind: report.kind, atMs, message: report.message };
    if (this.#finished) return this.#hurryFinish();
    this.#stop(0);
  }

  progress(): RunProgress {
    const now = this.#recorder ? this.#recorder.incident(performance.now()) : 0;
    const phases = this.#recorder?.phases ?? [];
    const sum = (pick: (p: (typeof phases)[number]) => number): number => phases.reduce((a, p) => a + pick(p), 0);
    const closed = this.#recorder?.timeline.closedWindows() ?? [];
    const current = this.#placed.find((p) => now < p.endMs) ?? this.#placed.at(-1);
    return {
      incidentMs: Math.min(now, this.#totalMs),
      totalMs: this.#totalMs,
      phase: current?.name ?? '',
      offered: sum((p) => p.offered),
      ok: sum((p) => p.ok),
      failed: sum((p) => p.failed),
      dropped: sum((p) => p.dropped),
      inFlight: this.#dispatcher?.inFlight ?? 0,
      window: closed.at(-1),
      draining: this.#draining,
    };
  }

  // --- DispatchSink: record, and keep closed-model users looping ---

  dropped(phase: number, intendedWall: number, cls: number): void {
    this.#recorder.dropped(phase, intendedWall, cls);
  }

  sent(request: LogicalRequest, lagMs: number): void {
    this.#recorder.sent(request, lagMs);
  }

  attempt(request: LogicalRequest, isRetry: boolean): void {
    this.#recorder.attempt(request, isRetry);
  }

  final(request: LogicalRequest, status: number, error: string | undefined, endWall: number, lastSentWall: number): void {
    this.#recorder.final(request, status, error, endWall, lastSentWall);
    if (request.vu >= 0 && !this.#draining) {
      const phase = this.#placed[request.phase]!;
      if (this.#recorder.incident(endWall) < phase.endMs) this.#offerClosed(phase, request.vu, endWall);
    }
    if (this.#draining && this.#dispatcher.inFlight === 0) this.#rearm();
  }

  unfinished(request: LogicalRequest): void {
    this.#recorder.unfinished(request);
  }

  // --- the clock ---

  #tick = (): void => {
    this.#timer = undefined;
    this.#immediate = undefined;
    if (this.#finished) return;
    try {
      this.#step();
    } catch (err) {
      this.#finished = true;
      void this.#dispatcher.close().finally(() => this.#reject(err));
    }
  };

  #step(): void {
    const recorder = this.#recorder;
    const dispatcher = this.#dispatcher;
    let now = performance.now();
    let incident = recorder.incident(now);

    if (!this.#draining) {
      // Open model: every arrival whose intended time has come, in order, a bounded batch per turn.
      let batch = ARRIVALS_PER_TURN;
      while (this.#nextArrival <= incident && batch-- > 0) {
        const phase = this.#schedule.phase;
        const cls = this.#classes.next();
        recorder.offered(phase, this.#nextArrival, cls);
        dispatcher.offer(phase, recorder.wall(this.#nextArrival), -1, cls);
        this.#nextArrival = this.#schedule.next();
      }
      // Closed model: start each phase's virtual users when it begins.
      while (this.#nextClosed < this.#closedPhases.length && this.#closedPhases[this.#nextClosed]!.startMs <= incident) {
        const p = this.#closedPhases[this.#nextClosed++]!;
        if (p.kind === 'closed' && incident < p.endMs) for (let vu = 0; vu < p.vus; vu++) this.#offerClosed(p, vu, now);
      }
      this.#companion?.tick(incident);
      if (incident >= this.#totalMs && this.#nextArrival > incident) {
        this.#endIncident = this.#totalMs;
        this.#startDraining();
      }
    }

    now = performance.now();
    dispatcher.poll(now);
    incident = recorder.incident(now);
    this.#closeWindows(incident);

    if (this.#draining && (dispatcher.inFlight === 0 || now >= this.#stopBy)) {
      if (dispatcher.inFlight > 0) dispatcher.abortAll();
      void this.#finish(now);
      return;
    }
    this.#arm(now);
  }

  /** Ends sending: in-flight requests get `graceWallMs`, then are aborted as unfinished. */
  #stop(graceWallMs: number): void {
    const now = performance.now();
    if (!this.#cutShort) {
      this.#cutShort = true;
      this.#endIncident = Math.min(this.#totalMs, this.#recorder.incident(now));
    }
    this.#stopBy = Math.min(this.#stopBy, now + graceWallMs);
    this.#startDraining();
    this.#dispatcher.stopRetries();
    this.#rearm();
  }

  #offerClosed(phase: PlacedPhase, vu: number, nowWall: number): void {
    const recorder = this.#recorder;
    const cls = this.#classes.next();
    recorder.offered(phase.index, recorder.incident(nowWall), cls);
    this.#dispatcher.offer(phase.index, nowWall, vu, cls);
  }

  /**
   * The schedule is over (or interrupted): no new requests. Those in flight go on to their final
   * outcome, retries included (k6's graceful stop), for as long as their own attempts and backoffs
   * can take; whatever is still out then is aborted and counted unfinished.
   */
  #startDraining(): void {
    if (this.#draining) return;
    this.#draining = true;
    this.#nextArrival = Infinity;
    const { timeoutMs, retries } = this.#plan.client;
    const drainIncident = timeoutMs * (retries.max + 1) + retries.capMs * retries.max;
    this.#stopBy = Math.min(this.#stopBy, performance.now() + drainIncident / this.#plan.speed + INTERRUPT_GRACE_WALL_MS);
  }

  #closeWindows(incident: number): void {
    const timeline = this.#recorder.timeline;
    timeline.closeUntil(incident);
    const companion = this.#companion;
    // Completions close windows too (from undici's callbacks), so count samples separately: each window
    // that closed since the last tick gets the state as it is now; after a stall only the latest does.
    if (!companion || this.#sampled >= timeline.closedCount) return;
    this.#sampled = timeline.closedCount;
    this.#sample(companion);
  }

  /**
   * Samples the mock for the latest closed window, one sample at a time: a mock slow to answer gets no
   * queue of them. Windows that close meanwhile ask for one more, sent when the pending one settles,
   * for whichever window is the latest then; the windows in between go without.
   */
  #sample(companion: RunCompanion): void {
    if (this.#sampling) {
      this.#sampleWanted = true;
      return;
    }
    this.#sampling = true;
    this.#sampleWanted = false;
    const timeline = this.#recorder.timeline;
    const index = timeline.closedCount - 1;
    const settled = (sample: MockSample | undefined): void => {
      this.#sampling = false;
      if (sample && !this.#resolved) timeline.attachMock(index, sample);
      if (this.#sampleWanted && !this.#finished) this.#sample(companion);
    };
    companion.sample().then(settled, () => settled(undefined));
  }

  /**
   * Waits for the next thing to do: an arrival, a deadline or retry, a window boundary, a fault, a
   * closed phase, the end. Only an arrival needs better than a timer's millisecond: before one, a
   * timer wakes the loop a millisecond early and the rest is waited in slices: a blocking sleep of at most SLEEP_SLICE_MS
   * (Atomics.wait: microsecond precision, no CPU burnt, nothing allocated; I/O waits at most that long),
   * then one setImmediate to let I/O in. Spinning instead would allocate on every turn (an Immediate,
   * and in Node 20 every performance.now() boxes its double: 300 MB/s in a tight loop), and the garbage
   * collections that follow stall the loop for milliseconds — the very lateness the wait avoids.
   */
  #arm(now: number): void {
    const recorder = this.#recorder;
    const nextWindow = recorder.timeline.nextCloseMs();
    let otherIncident = nextWindow;
    let arrivalWall = Infinity;
    if (!this.#draining) {
      const companionNext = this.#companion ? this.#companion.nextEventMs() : Infinity;
      const closedNext = this.#nextClosed < this.#closedPhases.length ? this.#closedPhases[this.#nextClosed]!.startMs : Infinity;
      otherIncident = Math.min(otherIncident, companionNext, closedNext, this.#totalMs);
      arrivalWall = recorder.wall(this.#nextArrival);
    }
    // Only arrivals need sub-millisecond precision; windows, deadlines, retries and faults take a timer's.
    const otherDelay = Math.min(recorder.wall(otherIncident), this.#dispatcher.nextWakeWall(), this.#stopBy) - now;
    const arrivalDelay = arrivalWall - now;
    if (arrivalDelay <= 1.5 && arrivalDelay <= otherDelay) {
      if (arrivalDelay > 0) Atomics.wait(SLEEPER, 0, 0, Math.min(arrivalDelay, SLEEP_SLICE_MS));
      this.#immediate = setImmediate(this.#tick);
      return;
    }
    const delay = Math.min(arrivalDelay - 1, otherDelay);
    if (delay <= 0) this.#immediate = setImmediate(this.#tick);
    else this.#timer = setTimeout(this.#tick, Math.min(delay, 1_000));
  }

  /** Something changed that may end the wait early (a request finished while draining, an interrupt). */
  #rearm(): void {
    if (this.#finished) return;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) return;
    this.#timer = undefined;
    this.#immediate = setImmediate(this.#tick);
  }

  async #finish(nowWall: number): Promise<void> {
    this.#finished = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    try {
      await this.#dispatcher.close();
      // A run cut short does not wait on the mock at all: the user wants out, or the mock is broken.
      if (!this.#cutShort) await this.#companionIdle();
      const endIncident = this.#cutShort ? this.#endIncident : this.#totalMs;
      this.#resolved = true;
      this.#resolve({
        ...this.#recorder.measurements(endIncident),
        startedAt: this.#startedAt,
        wallMs: nowWall - this.#t0,
        interrupted: this.#interrupted,
        failure: this.#failure,
        faults: this.#companion?.faults() ?? [],
      });
    } catch (err) {
      this.#reject(err);
    }
  }

  /** The companion's last answers, for at most FINISH_WAIT_WALL_MS, and not after an interrupt. */
  async #companionIdle(): Promise<void> {
    const companion = this.#companion;
    if (!companion || this.#hurried) return;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      this.#hurry = resolve;
      timer = setTimeout(resolve, FINISH_WAIT_WALL_MS);
    });
    await Promise.race([companion.idle(), bound]);
    clearTimeout(timer);
    this.#hurry = undefined;
  }

  #hurryFinish(): void {
    this.#hurried = true;
    this.#hurry?.();
  }
}
