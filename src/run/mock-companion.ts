// The bundled mock seen from the load side, over HTTP only: faults posted to its control API at their
// incident times, and its state sampled once per timeline window.
import { Pool } from 'undici';
import type { FaultSpec } from '../profile/profile.js';
import type { FaultRecord, MockSample } from '../report/result.js';
import type { RunCompanion } from './load-run.js';

export class MockCompanion implements RunCompanion {
  readonly #pool: Pool;
  readonly #faults: FaultSpec[];
  #next = 0;
  #applied: FaultRecord[] = [];
  #pending: Promise<void>[] = [];

  constructor(controlUrl: string, faults: readonly FaultSpec[]) {
    this.#pool = new Pool(controlUrl, { connections: 2 });
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
    const res = await this.#pool.request({ method: 'GET', path: '/state' });
    if (res.statusCode !== 200) {
      await res.body.dump();
      return undefined;
    }
    const state = (await res.body.json()) as { queued?: number; busy?: number; workers?: number; routersReady?: number | null };
    return { queued: state.queued ?? 0, busy: state.busy ?? 0, workers: state.workers ?? 0, routersReady: state.routersReady ?? null };
  }

  /** Every fault: applied (or refused) at its time, or not reached because the run ended first. */
  faults(): FaultRecord[] {
    const unreached = this.#faults.slice(this.#next).map((f) => ({ at: f.at, fault: f.fault, params: f.params, error: 'the run ended before its time' }));
    return [...this.#applied, ...unreached].sort((a, b) => a.at - b.at);
  }

  async close(): Promise<void> {
    await Promise.all(this.#pending);
    await this.#pool.close();
  }

  async #inject(spec: FaultSpec): Promise<void> {
    const record: FaultRecord = { at: spec.at, fault: spec.fault, params: spec.params };
    try {
      const res = await this.#pool.request({
        method: 'POST',
        path: '/faults',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fault: spec.fault, ...spec.params }),
      });
      const text = await res.body.text();
      if (res.statusCode >= 300) record.error = `the mock refused it (${res.statusCode}): ${text.trim()}`;
    } catch (err) {
      record.error = `could not reach the mock's control API: ${err instanceof Error ? err.message : String(err)}`;
    }
    this.#applied.push(record);
  }
}
