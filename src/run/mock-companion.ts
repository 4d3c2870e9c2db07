// The bundled mock (or the proxy, or a mock or proxy started on its own) seen from the load side, over HTTP
// only: faults posted to its control API at their incident times, and its state sampled at the end of each timeline window, on a clock of its own that
// shares the run's Timebase (so it runs the same beside one load loop or beside several). Samples go one
// at a time: a mock slow to answer gets no queue of them; windows that close meanwhile ask for one more,
// sent when the pending one settles, for whichever window is the latest then. It also watches that the
// mock still answers: every request is bounded in time, and when nothing it sent has been answered for
// UNRESPONSIVE_WALL_MS (a frozen or hopelessly overloaded mock), it says so, once; and at the end of the
// run (silentAtEnd) a silence that began too late for the watchdog to judge is judged all the same.
import type { Timebase } from '../core/timebase.js';
import type { FaultSpec } from '../profile/profile.js';
import type { FaultOutcome, TimelineWindow } from '../result/run-result.js';
import { ControlClient, ControlError } from './control-client.js';
import type { FailureReport } from './engine/load-run.js';

/**
 * No answer at all for this long and the mock is taken as broken: stopped, stuck, or so far behind its
 * own clock (an absurd --speed) that its answers mean nothing. A live mock can be slow: /state answers
 * in about a millisecond on a quiet machine, but took up to 1.6 s (once 3.2 s) replaying dalle-2023-03
 * at --speed 600 on 2 busy cores (load 7), and more than 5 s at load 10. Nothing hangs meanwhile (one
 * sample in flight, a bounded wait at the end); a late verdict only delays what the run reports, a
 * wrong one would break a sound run.
 */
export const UNRESPONSIVE_WALL_MS = 15_000;
/**
 * Each request's own bound. No shorter than the verdict: a slow answer that does come counts as an
 * answer, and a request given up on sooner would make a slow mock look silent.
 */
const REQUEST_TIMEOUT_MS = UNRESPONSIVE_WALL_MS;

export interface MockCompanionOptions {
  /** Called (once) when the control API has answered nothing for UNRESPONSIVE_WALL_MS. */
  onUnresponsive?: (report: FailureReport) => void;
  /** Whose control API it is, for messages (default the mock's). */
  program?: 'mock' | 'proxy';
}

/** What a window gets from a sample: the mock's gauges or the proxy's. */
export type WindowSample = Pick<TimelineWindow, 'mock' | 'proxy'>;

export class MockCompanion {
  readonly #client: ControlClient;
  readonly #faults: FaultSpec[];
  readonly #onUnresponsive: ((report: FailureReport) => void) | undefined;
  readonly #program: 'mock' | 'proxy';
  #next = 0;
  /** Faults sent, in order, each with its outcome once known. */
  #sent: FaultOutcome[] = [];
  #awaiting = new Set<FaultOutcome>();
  #outstanding = 0;
  #idle: (() => void)[] = [];
  /** Wall time of the first request the mock has not answered since its last answer. */
  #silentSince: number | undefined;
  /** Called at each answer (silentAtEnd waits on them). */
  #onAnswer: (() => void)[] = [];
  #watchdog: NodeJS.Timeout | undefined;
  #closed = false;
  #stopped = false;
  #faultTimer: NodeJS.Timeout | undefined;
  #sampleTimer: NodeJS.Timeout | undefined;
  readonly #samples = new Map<number, WindowSample>();
  #sampling = false;
  /** A window that ended while a sample was pending: sampled when that one settles. */
  #wanted: number | undefined;
  /** The end's sample is wanted even though sampling has stopped. */
  #final = false;

  constructor(controlUrl: string, token: string, faults: readonly FaultSpec[], options: MockCompanionOptions = {}) {
    this.#client = new ControlClient(controlUrl, token, { timeoutMs: REQUEST_TIMEOUT_MS });
    this.#faults = [...faults].sort((a, b) => a.at - b.at);
    this.#onUnresponsive = options.onUnresponsive;
    this.#program = options.program ?? 'mock';
  }

  /** Applies the faults at their incident times, and samples the state at the end of each `windowMs` window up to `totalMs`. */
  start(time: Timebase, windowMs: number, totalMs: number): void {
    const windows = Math.max(1, Math.ceil(totalMs / windowMs));
    const armFaults = (): void => {
      if (this.#stopped) return;
      const due = time.incident(performance.now());
      while (this.#next < this.#faults.length && this.#faults[this.#next]!.at <= due) void this.#inject(this.#faults[this.#next++]!);
      const next = this.#faults[this.#next];
      if (next) this.#faultTimer = setTimeout(armFaults, Math.max(0, time.wall(next.at) - performance.now()));
    };
    let window = 0;
    const armSamples = (): void => {
      if (this.#stopped) return;
      // The windows that have ended by now; the latest gets the state as it is now.
      const ended = Math.min(windows, Math.floor(time.incident(performance.now()) / windowMs));
      if (ended > window) {
        window = ended;
        this.#sample(ended - 1);
      }
      if (window < windows) this.#sampleTimer = setTimeout(armSamples, Math.max(0, time.wall((window + 1) * windowMs) - performance.now()));
    };
    armFaults();
    armSamples();
  }

  /**
   * A proxy's counters once more, for the last window, after the run's last requests have come back: what
   * it added to them is counted when they finish. (A mock's last sample stays its state at the window's end.)
   */
  sampleEnd(windowMs: number, totalMs: number): void {
    this.stop();
    if (this.#client.program !== 'proxy') return;
    this.#final = true;
    this.#sample(Math.max(1, Math.ceil(totalMs / windowMs)) - 1);
  }

  /** No more faults or samples: the run is over, or cut short. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#faultTimer);
    clearTimeout(this.#sampleTimer);
  }

  /** The state sampled at the end of each timeline window, by the window's index (windows without one are left out). */
  samples(): ReadonlyMap<number, WindowSample> {
    return this.#samples;
  }

  /** Resolves once nothing it sent is still waiting for an answer, or after `waitWallMs` (the run's end waits this long at most). */
  async settled(waitWallMs: number): Promise<void> {
    if (this.#outstanding === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => this.#idle.push(resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitWallMs)))]);
    clearTimeout(timer);
  }

  #sample(window: number): void {
    if (this.#sampling) {
      this.#wanted = window;
      return;
    }
    this.#sampling = true;
    const settle = (sample: WindowSample | undefined): void => {
      this.#sampling = false;
      if (sample && !this.#closed) this.#samples.set(window, sample);
      const wanted = this.#wanted;
      this.#wanted = undefined;
      if (wanted !== undefined && (!this.#stopped || this.#final)) this.#sample(wanted);
    };
    this.#call(() => this.#client.sample()).then(settle, () => settle(undefined));
  }

  /** Every fault: applied (or refused) at its time, still unanswered, or not reached because the run ended first. */
  faults(): FaultOutcome[] {
    const sent = this.#sent.map((r) => (this.#awaiting.has(r) ? { ...r, error: `the run ended before the ${this.#program} answered` } : r));
    const unreached = this.#faults.slice(this.#next).map((f) => ({ at: f.at, fault: f.fault, params: f.params, error: 'the run ended before its time' }));
    return [...sent, ...unreached].sort((a, b) => a.at - b.at);
  }

  /**
   * The end's verdict on the mock (or proxy), after the run: a mock frozen in the run's last 15 s would
   * otherwise go unnoticed (exit 0, every loss blamed on the target). Nothing unanswered: it answered at
   * the last window's end, so it is sound. Otherwise its pending requests are given what is left of
   * UNRESPONSIVE_WALL_MS since the silence began, as mid-run: an answer clears it, none is the failure
   * the watchdog would have reported. Waits at most UNRESPONSIVE_WALL_MS.
   */
  async silentAtEnd(): Promise<FailureReport | undefined> {
    const since = this.#silentSince;
    if (since === undefined || this.#closed) return undefined;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, since + UNRESPONSIVE_WALL_MS - performance.now()));
      this.#onAnswer.push(resolve);
    });
    clearTimeout(timer);
    return this.#silentSince === since && !this.#closed ? this.#unresponsive(since) : undefined;
  }

  /** Abandons whatever is still pending: the run is over, and a frozen mock must not hold up its end. */
  async close(): Promise<void> {
    this.stop();
    this.#closed = true;
    clearTimeout(this.#watchdog);
    await this.#client.close();
  }

  async #inject(spec: FaultSpec): Promise<void> {
    const record: FaultOutcome = { at: spec.at, fault: spec.fault, params: spec.params };
    this.#sent.push(record);
    this.#awaiting.add(record);
    try {
      await this.#call(() => this.#client.injectFault({ fault: spec.fault, ...spec.params }));
    } catch (err) {
      record.error =
        err instanceof ControlError && err.problem === 'refused'
          ? `the ${err.program} refused it: ${err.detail}`
          : err instanceof Error
            ? err.message
            : String(err);
    }
    this.#awaiting.delete(record);
  }

  /** Every control request goes through here: counted for settled(), and watched for silence. */
  async #call<T>(request: () => Promise<T>): Promise<T> {
    if (this.#silentSince === undefined) this.#watch(performance.now());
    this.#outstanding++;
    try {
      const value = await request();
      this.#answered();
      return value;
    } catch (err) {
      // An error status is an answer too: the mock is there, if not pleased.
      if (err instanceof ControlError && err.problem !== 'timeout' && err.problem !== 'unreachable') this.#answered();
      throw err;
    } finally {
      if (--this.#outstanding === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  #watch(since: number): void {
    this.#silentSince = since;
    this.#watchdog = setTimeout(() => {
      if (this.#closed || this.#silentSince !== since) return;
      this.#onUnresponsive?.(this.#unresponsive(since));
    }, UNRESPONSIVE_WALL_MS);
    this.#watchdog.unref();
  }

  #unresponsive(since: number): FailureReport {
    return {
      kind: this.#program === 'proxy' ? 'proxy-unresponsive' : 'mock-unresponsive',
      atWall: since,
      message: `${this.#program === 'proxy' ? 'the proxy' : 'the bundled mock'} stopped answering its control API (no answer for ${UNRESPONSIVE_WALL_MS / 1000}s)`,
    };
  }

  #answered(): void {
    this.#silentSince = undefined;
    clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    for (const resolve of this.#onAnswer.splice(0)) resolve();
  }
}
