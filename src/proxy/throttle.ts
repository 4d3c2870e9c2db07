// The bandwidth fault on one response body: bytes go out no faster than `bytesPerSecond`, measured from
// the first byte, in slices of at most 50 ms' worth, so a slow rate trickles rather than bursts a whole
// chunk at a time (toxiproxy's bandwidth toxic, per response). While it holds bytes back it asks the
// upstream to pause (backpressure), and so it does while the client's side is full (a client reading
// slower than the rate): it writes nothing more until `drained()`, so nothing piles up in the proxy. It
// keeps how long it held the body back beyond what writing it took: the latency it added.

const SLICE_MS = 50;

export class Throttle {
  readonly #queue: Buffer[] = [];
  #startedAt = -1;
  #sent = 0;
  #timer: NodeJS.Timeout | undefined;
  #ending: (() => void) | undefined;
  #stopped = false;
  /** The client's side is full: nothing more is written until it drains. */
  #blocked = false;
  /** Wall ms the body was held back, in total. */
  heldMs = 0;

  constructor(
    readonly bytesPerSecond: number,
    /** Writes a slice; false: the client's buffer is full (wait for `drained()`). */
    readonly write: (slice: Buffer) => boolean,
    /** Asks the upstream for more once the queue is empty again. */
    readonly resume: () => void,
  ) {}

  /** Queues a chunk; false: the upstream should pause until `resume`. */
  push(chunk: Buffer): boolean {
    if (this.#startedAt < 0) this.#startedAt = performance.now();
    this.#queue.push(chunk);
    this.#pump();
    return this.#queue.length === 0 && !this.#blocked;
  }

  /** The client's side drained ('drain' on the response): write on. */
  drained(): void {
    if (!this.#blocked) return;
    this.#blocked = false;
    this.#pump();
  }

  /** Calls `done` once every queued byte is out. */
  end(done: () => void): void {
    this.#ending = done;
    this.#pump();
  }

  /** The client left: drop what is queued. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#queue.length = 0;
  }

  #pump(): void {
    if (this.#stopped || this.#blocked || this.#timer !== undefined) return;
    const sliceBytes = Math.max(1, Math.floor((this.bytesPerSecond * SLICE_MS) / 1000));
    while (this.#queue.length > 0) {
      const now = performance.now();
      // When the bytes already sent are allowed out: the next slice waits for that moment.
      const due = this.#startedAt + (this.#sent / this.bytesPerSecond) * 1000;
      if (due > now + 1) {
        this.heldMs += due - now;
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#pump();
        }, due - now);
        return;
      }
      const head = this.#queue[0]!;
      const slice = head.length <= sliceBytes ? head : head.subarray(0, sliceBytes);
      if (slice === head) this.#queue.shift();
      else this.#queue[0] = head.subarray(sliceBytes);
      this.#sent += slice.length;
      if (!this.write(slice)) {
        // The upstream stays paused (nor is `done` called) until the client has taken what was written.
        this.#blocked = true;
        return;
      }
    }
    if (this.#ending) {
      const done = this.#ending;
      this.#ending = undefined;
      done();
    } else this.resume();
  }
}
