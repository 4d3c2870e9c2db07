// How the run's loop waits for its next thing to do: an arrival, a deadline or retry, a window boundary,
// a closed phase, the end. Only an arrival needs better than a timer's millisecond: before one, a timer
// wakes the loop a millisecond early and the rest is waited in slices — a blocking sleep of at most
// SLEEP_SLICE_MS (Atomics.wait: microsecond precision, no CPU burnt, nothing allocated; I/O waits at most
// that long), then one setImmediate to let I/O in. Spinning instead would allocate on every turn (an
// Immediate, and in Node 20 every performance.now() boxes its double: 300 MB/s in a tight loop), and the
// garbage collections that follow stall the loop for milliseconds — the very lateness the wait avoids.
// In a virtual run nothing is waited for: the VirtualPacer only notes when the loop wants to run next, and
// the driver (run/virtual-run.ts) moves the clock there.

/** How the run's loop waits for its next tick; times are the run's clock's. */
export interface Waiter {
  /** Tick next for an arrival due at `arrivalAt` (precisely), or for anything else at `otherAt`. */
  waitFor(now: number, arrivalAt: number, otherAt: number): void;
  /** Something changed that may end the wait early (a request finished while draining, an interrupt). */
  soon(): void;
  stop(): void;
}

/** Builds the run's waiter around its tick. */
export type WaiterFactory = (tick: () => void) => Waiter;

/** Longest blocking sleep before the loop yields to I/O: what a response can be held up by. */
const SLEEP_SLICE_MS = 0.1;
/** Never notified: Atomics.wait on it is a precise sleep. */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

export class Pacer implements Waiter {
  readonly #tick: () => void;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #stopped = false;

  constructor(tick: () => void) {
    this.#tick = () => {
      this.#timer = undefined;
      this.#immediate = undefined;
      if (!this.#stopped) tick();
    };
  }

  /** Schedules the next tick: for an arrival due at `arrivalWall` precisely, for anything else by `otherWall`. */
  waitFor(nowWall: number, arrivalWall: number, otherWall: number): void {
    const arrivalDelay = arrivalWall - nowWall;
    const otherDelay = otherWall - nowWall;
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
  soon(): void {
    if (this.#stopped || this.#immediate) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#immediate = setImmediate(this.#tick);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
  }
}

/** Virtual time's waiter: it waits for nothing, it says when the loop wants to tick next. */
export class VirtualPacer implements Waiter {
  /** Clock time of the next tick wanted: -Infinity for "at once", Infinity for none. */
  nextAt = Infinity;
  stopped = false;

  constructor(readonly tick: () => void) {}

  waitFor(_now: number, arrivalAt: number, otherAt: number): void {
    this.nextAt = Math.min(arrivalAt, otherAt);
  }

  soon(): void {
    if (!this.stopped) this.nextAt = -Infinity;
  }

  stop(): void {
    this.stopped = true;
    this.nextAt = Infinity;
  }
}
