// The bundled mock seen from the load side, over HTTP only: faults posted to its control API at their
// incident times, and its state sampled once per timeline window. It also watches that the mock still
// answers: every request is bounded in time, and when nothing it sent has been answered for
// UNRESPONSIVE_WALL_MS (a frozen or hopelessly overloaded mock), it says so, once.
import type { FaultSpec } from '../profile/profile.js';
import type { FaultRecord, MockSample } from '../result/run-result.js';
import { ControlClient, ControlError } from './control-client.js';
import type { FailureReport, RunCompanion } from './load-run.js';

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
    this.#client = new ControlClient(controlUrl, token, { timeoutMs: REQUEST_TIMEOUT_MS });
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
    const { queued, busy, workers, routersReady } = await this.#call(() => this.#client.state());
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
