// Couples the simulation to the wall clock: virtual now = (performance.now() - t0) * speed. Everything that
// touches the model goes through `step`, which first runs every event due by now, so the model always
// sees time move forward in order. One timer is armed for the next event: setTimeout when it is more than
// ~2 ms of wall time away (armed a millisecond early, since Node may round a timer up), setImmediate when
// closer, so sub-millisecond service times at high speed stay exact. Closer than that, each turn of the
// loop first sleeps the rest of the wait, at most SLEEP_SLICE_MS (Atomics.wait: precise, no CPU burnt),
// as the generator's Pacer does (run/engine/pacer.ts): spinning on setImmediate alone kept a core busy
// whenever an event was near, which at high speeds is always (a replay at speed 150 spent 19 s of CPU
// in the mock for 20,000 requests), and took that core from the generator on a two-core host. I/O
// waits at most one slice. The simulation's own numbers (queue wait, service time) are exact in virtual
// time whatever the timer jitter; only the wall moment a response is written lags by the timer's
// granularity.
import { performance } from 'node:perf_hooks';
import type { SimulatedService } from './model/simulated-service.js';

const IMMEDIATE_BELOW_MS = 2;
/** Longest blocking sleep before the loop turns (and reads what arrived): what a request can be held up by. */
const SLEEP_SLICE_MS = 0.1;
/** Never notified: Atomics.wait on it is a precise sleep. */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

export class WallClock {
  readonly #t0 = performance.now();
  #timeout: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #armedFor = Infinity;
  #stopped = false;

  constructor(
    readonly service: SimulatedService,
    /** Incident ms per wall ms. */
    readonly speed: number,
  ) {}

  /** Virtual (incident) ms since the mock started. */
  now(): number {
    return (performance.now() - this.#t0) * this.speed;
  }

  /** Brings the model up to now, runs `action` against it, and re-arms the timer for the next event. */
  step<T>(action: () => T): T {
    this.service.advance(Math.max(this.now(), this.service.now));
    try {
      return action();
    } finally {
      this.#arm();
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#disarm();
  }

  #arm(): void {
    if (this.#stopped) return;
    const next = this.service.sim.nextAt();
    if (next === this.#armedFor && (this.#timeout || this.#immediate)) return;
    this.#disarm();
    if (next === Infinity) return;
    this.#armedFor = next;
    const wallDelay = (next - this.now()) / this.speed;
    const fire = () => {
      this.#timeout = undefined;
      this.#immediate = undefined;
      this.#armedFor = Infinity;
      this.step(() => undefined);
    };
    if (wallDelay > IMMEDIATE_BELOW_MS) this.#timeout = setTimeout(fire, Math.floor(wallDelay - 1));
    else
      this.#immediate = setImmediate(() => {
        const left = (next - this.now()) / this.speed;
        if (left > 0) Atomics.wait(SLEEPER, 0, 0, Math.min(left, SLEEP_SLICE_MS));
        fire();
      });
  }

  #disarm(): void {
    if (this.#timeout) clearTimeout(this.#timeout);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timeout = undefined;
    this.#immediate = undefined;
    this.#armedFor = Infinity;
  }
}
