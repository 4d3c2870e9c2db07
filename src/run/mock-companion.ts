// The bundled mock seen from the load side, over HTTP only: faults posted to its control API at their
// incident times, and its state sampled once per timeline window.
import type { FaultSpec } from '../profile/profile.js';
import type { FaultRecord, MockSample } from '../report/result.js';
import { ControlClient, ControlError } from './control-client.js';
import type { RunCompanion } from './load-run.js';

export class MockCompanion implements RunCompanion {
  readonly #client: ControlClient;
  readonly #faults: FaultSpec[];
  #next = 0;
  #applied: FaultRecord[] = [];
  #pending: Promise<void>[] = [];

  constructor(controlUrl: string, token: string, faults: readonly FaultSpec[]) {
    this.#client = new ControlClient(controlUrl, token);
    this.#faults = [...faults].sort((a, b) => a.at - b.at);
  }

  nextEventMs(): number {
    return this.#faults[this.#next]?.at ?? Infinity;
  }

  tick(incidentMs: number): void {
    while (this.#next < this.#faults.length && this.#faults[this.#next]!.at <= incidentMs) {
      this.#pending.push(this.#inject(this.#faults[this.#next]!));
      this.#next++;
    }
  }

  async sample(): Promise<MockSample | undefined> {
    const { queued, busy, workers, routersReady } = await this.#client.state();
    return { queued, busy, workers, routersReady };
  }

  /** Every fault: applied (or refused) at its time, or not reached because the run ended first. */
  faults(): FaultRecord[] {
    const unreached = this.#faults.slice(this.#next).map((f) => ({ at: f.at, fault: f.fault, params: f.params, error: 'the run ended before its time' }));
    return [...this.#applied, ...unreached].sort((a, b) => a.at - b.at);
  }

  async close(): Promise<void> {
    await Promise.all(this.#pending);
    await this.#client.close();
  }

  async #inject(spec: FaultSpec): Promise<void> {
    const record: FaultRecord = { at: spec.at, fault: spec.fault, params: spec.params };
    try {
      await this.#client.injectFault({ fault: spec.fault, ...spec.params });
    } catch (err) {
      record.error = err instanceof ControlError && err.problem === 'refused' ? `the mock refused it: ${err.detail}` : err instanceof Error ? err.message : String(err);
    }
    this.#applied.push(record);
  }
}
