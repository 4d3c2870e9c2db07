// The cap-connections fault's gate: at most `limit` requests on their way to the upstream at once; the
// rest wait, first come first served, in a queue of at most `queueLimit`, each for at most `timeoutMs`.
// A request that finds the queue full is refused at once (503), one that waits too long is given up on
// (504), as the mock's admission and queue timeout answer. A waiter whose client leaves is forgotten.
// When the fault is reverted the gate opens: every waiter goes on at once, and nothing waits again.

export type CapRefusal = 'queue-full' | 'queue-timeout';

export interface CapTicket {
  /** The client left while waiting: forget it. */
  cancel(): void;
}

interface Waiter {
  admit: (release: () => void) => void;
  refuse: (why: CapRefusal) => void;
  timer: NodeJS.Timeout | undefined;
  done: boolean;
}

export class ConnectionCap {
  #running = 0;
  #open = false;
  /** Waiters not yet admitted, refused or cancelled. */
  #queued = 0;
  readonly #waiting: Waiter[] = [];
  #head = 0;

  constructor(
    readonly limit: number,
    readonly queueLimit: number,
    readonly timeoutMs: number,
  ) {}

  /** Requests through the gate now. */
  get running(): number {
    return this.#running;
  }

  /** Requests waiting at the gate now. */
  get queued(): number {
    return this.#queued;
  }

  /**
   * Asks to pass: `admit` is called (now or later) with the release to call when the request is done with
   * the upstream, or `refuse` with why; exactly one of the two, unless the ticket is cancelled first.
   */
  enter(admit: (release: () => void) => void, refuse: (why: CapRefusal) => void): CapTicket {
    if (this.#open || this.#running < this.limit) {
      admit(this.#pass());
      return { cancel: () => undefined };
    }
    if (this.queued >= this.queueLimit) {
      refuse('queue-full');
      return { cancel: () => undefined };
    }
    const waiter: Waiter = { admit, refuse, timer: undefined, done: false };
    waiter.timer = setTimeout(() => {
      if (waiter.done) return;
      waiter.done = true;
      this.#queued--;
      refuse('queue-timeout');
      this.#compact();
    }, this.timeoutMs);
    this.#waiting.push(waiter);
    this.#queued++;
    return {
      cancel: () => {
        if (waiter.done) return;
        waiter.done = true;
        this.#queued--;
        clearTimeout(waiter.timer);
        this.#compact();
      },
    };
  }

  /** The fault is over: everyone waiting goes on, and the gate stays open. */
  open(): void {
    this.#open = true;
    while (this.#next()) {
      // each admitted in turn
    }
  }

  /** One slot, released once. */
  #pass(): () => void {
    this.#running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running--;
      this.#next();
    };
  }

  /** Admits the next live waiter if there is room; whether it did. */
  #next(): boolean {
    while (this.#head < this.#waiting.length) {
      if (!this.#open && this.#running >= this.limit) return false;
      const waiter = this.#waiting[this.#head++]!;
      if (waiter.done) continue;
      waiter.done = true;
      this.#queued--;
      clearTimeout(waiter.timer);
      waiter.admit(this.#pass());
      this.#compact();
      return true;
    }
    this.#compact();
    return false;
  }

  /** Drops the settled waiters at the front (and the array's dead head once it is long). */
  #compact(): void {
    while (this.#head < this.#waiting.length && this.#waiting[this.#head]!.done) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
      this.#waiting.splice(0, this.#head);
      this.#head = 0;
    }
  }
}
