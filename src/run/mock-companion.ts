// The bundled mock seen from the load side, over HTTP only: faults posted to its control API at their
// incident times, and its state sampled once per timeline window. It also watches that the mock still
// answers: every request is bounded in time, and when nothing it sent has been answered for
// UNRESPONSIVE_WALL_MS (a frozen or hopelessly overloaded mock), it says so, once.
import type { FaultSpec } from '../profile/profile.js';
import type { FaultRecord, MockSample } from '../report/result.js';
import { ControlClient, ControlError } from './control-client.js';
import type { FailureReport, RunCompanion } from './load-run.js';

/** A sample is worth little late: the next window takes another. */
const SAMPLE_TIMEOUT_MS = 2_000;
/** A fault is worth waiting for: it changes the run. */
const FAULT_TIMEOUT_MS = 5_000;
/**
 * No answer at all for this long and the mock is taken as broken. /state answers in about a millisecond
 * on a quiet machine, and took 300-800 ms with the mock starved of CPU (two busy loops on two cores);
 * seconds of silence mean a mock that is stopped, stuck, or so far behind its own clock (an absurd
 * --speed) that its answers mean nothing. Waiting longer would only delay what the run reports.
 */
export const UNRESPONSIVE_WALL_MS = 5_000;

export interface MockCompanionOptions {
  /** Called (once) when the control API has answered nothing for UNRESPONSIVE_WALL_MS. */
  onUnresponsive?: (report: FailureReport) => void;
}

export class MockCompanion implements RunCompanion {
  readonly #client: ControlClient;
  readonly #faults: FaultSpec[];
  readonly #onUnresponsive: ((report: FailureReport) => void) | undefined;
  #next = 0;
  /** Faults sent, in order, each with its outcome once known. */
  #sent: FaultRecord[] = [];
  #awaiting = new Set<FaultRecord>();
  #outstanding = 0;
  #idle: (() => void)[] = [];
  /** Wall time of the first request the mock has not answered since its last answer. */
  #silentSince: number | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(controlUrl: string, token: string, faults: readonly FaultSpec[], options: MockCompanionOptions = {}) {
    this.#client = new ControlClient(controlUrl, token, { timeoutMs: FAULT_TIMEOUT_MS });
    this.#faults = [...faults].sort((a, b) => a.at - b.at);
    this.#onUnresponsive = options.onUnresponsive;
  }

  nextEventMs(): number {
    return this.#faults[this.#next]?.at ?? Infinity;
  }

  tick(incidentMs: number): void {
    while (this.#next < this.#faults.length && this.#faults[this.#next]!.at <= incidentMs) {
      void this.#inject(this.#faults[this.#next]!);
      this.#next++;
    }
  }

  async sample(): Promise<MockSample | undefined> {
    const { queued, busy, workers, routersReady } = await this.#call(() => this.#client.state(SAMPLE_TIMEOUT_MS));
    return { queued, busy, workers, routersReady };
  }

  idle(): Promise<void> {
    return this.#outstanding === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Every fault: applied (or refused) at its time, still unanswered, or not reached because the run ended first. */
  faults(): FaultRecord[] {
    const sent = this.#sent.map((r) => (this.#awaiting.has(r) ? { ...r, error: 'the run ended before the mock answered' } : r));
    const unreached = this.#faults.slice(this.#next).map((f) => ({ at: f.at, fault: f.fault, params: f.params, error: 'the run ended before its time' }));
    return [...sent, ...unreached].sort((a, b) => a.at - b.at);
  }

  /** Abandons whatever is still pending: the run is over, and a frozen mock must not hold up its end. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#watchdog);
    await this.#client.close();
  }

  async #inject(spec: FaultSpec): Promise<void> {
    const record: FaultRecord = { at: spec.at, fault: spec.fault, params: spec.params };
    this.#sent.push(record);
    this.#awaiting.add(record);
    try {
      await this.#call(() => this.#client.injectFault({ fault: spec.fault, ...spec.params }));
    } catch (err) {
      record.error = err instanceof ControlError && err.problem === 'refused' ? `the mock refused it: ${err.detail}` : err instanceof Error ? err.message : String(err);
    }
    this.#awaiting.delete(record);
  }

  /** Every control request goes through here: counted for idle(), and watched for silence. */
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
      this.#onUnresponsive?.({
        kind: 'mock-unresponsive',
        atWall: since,
        message: `the bundled mock stopped answering its control API (no answer for ${UNRESPONSIVE_WALL_MS / 1000}s)`,
      });
    }, UNRESPONSIVE_WALL_MS);
    this.#watchdog.unref();
  }

  #answered(): void {
    this.#silentSince = undefined;
    clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
  }
}
