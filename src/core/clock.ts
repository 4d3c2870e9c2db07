// Whose time the load side keeps. On the wall it is performance.now(); in a virtual run (run/virtual-run.ts)
// it is the simulation's own time, moved by the driver from one event to the next, so the same dispatcher,
// engine and recorder run unchanged in either world. Everything that reads "now" on the load side reads it
// from a Clock; nothing there calls performance.now() or Date.now() for a time it measures or schedules by.

export interface Clock {
  /** Monotonic ms: performance.now() on the wall; the simulation's now in virtual time. */
  now(): number;
  /** Epoch ms at now() = 0: for startedAt, and for Retry-After HTTP-dates. */
  readonly epochOrigin: number;
}

/** The wall: performance.now(), from the process's time origin. */
export const WALL_CLOCK: Clock = {
  now: () => performance.now(),
  epochOrigin: performance.timeOrigin,
};

/** A clock that moves only when told to, and only forward: virtual time, and tests. */
export class ManualClock implements Clock {
  #now: number;

  constructor(
    readonly epochOrigin: number = Date.now(),
    start = 0,
  ) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Moves to `t`; time never runs backwards. */
  set(t: number): void {
    if (t < this.#now) throw new Error(`a clock runs forward only: at ${this.#now}, asked for ${t}`);
    this.#now = t;
  }
}
