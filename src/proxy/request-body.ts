// How a request's body reaches the upstream without letting slow clients take the proxy's upstream
// connections from everyone else (the 2026-12-07 audit: 1,100 clients each trickling a body held all 1,024
// connections and a plain GET got no answer). As nginx does, the proxy reads a body before it takes an
// upstream connection for it: one of up to BODY_BUFFER_BYTES is read whole and sent with its length, so
// a slow small upload holds no connection while it arrives. A larger body is streamed, but streamed
// uploads may hold at most three quarters of the connections (UploadSlots): the other quarter is kept
// for requests that are ready, however many uploads crawl. A body that stops coming for the body
// timeout (while the proxy is reading it, not while the upstream holds it back) ends the request: 408.
// And once the answer is given, a body still arriving is read and dropped for LINGER_MS at most (so the
// client sees its answer, not a reset), then the connection is closed.
import type { IncomingMessage } from 'node:http';

/** A body up to this size is read whole before the request goes on (nginx's client_body_buffer_size, 16 KiB). */
export const BODY_BUFFER_BYTES = 16 * 1024;
/** A request body that stops coming for this long is given up on: 408 (nginx's client_body_timeout, 60 s). */
export const BODY_IDLE_MS = 60_000;
/** After the answer, the rest of a body is drained for at most this long, then the connection closed (nginx's lingering_timeout, 5 s). */
export const LINGER_MS = 5000;

/** At most `size` streamed uploads at the upstream at once; the rest wait, first come first served. */
export class UploadSlots {
  #used = 0;
  readonly #waiting = new Set<() => void>();

  constructor(readonly size: number) {}

  /** Uploads streaming to the upstream now. */
  get streaming(): number {
    return this.#used;
  }

  /** Uploads waiting for a place. */
  get waiting(): number {
    return this.#waiting.size;
  }

  /** Calls `go(release)` once a place is free (at once if one is); returns a cancel for the wait. */
  take(go: (release: () => void) => void): () => void {
    if (this.#used < this.size) {
      this.#used++;
      go(this.#release());
      return () => undefined;
    }
    const waiter = (): void => {
      this.#used++;
      go(this.#release());
    };
    this.#waiting.add(waiter);
    return () => void this.#waiting.delete(waiter);
  }

  #release(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#used--;
      const next = this.#waiting.values().next();
      if (!next.done) {
        this.#waiting.delete(next.value);
        next.value();
      }
    };
  }
}

export interface BodyEvents {
  /** The whole body, read: it goes with its length. */
  whole(body: Buffer): void;
  /** More than the buffer: what was read so far; the request is paused, its rest to be streamed. */
  streamed(head: Buffer[]): void;
  /** The client left before its body was complete. */
  gone(): void;
}

/** Reads `req`'s body up to `limit` bytes: whole, or the start of one to stream, or the client gone. */
export function readBody(req: IncomingMessage, limit: number, events: BodyEvents): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const off = (): void => void req.off('data', onData).off('end', onEnd).off('close', onClose);
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
    size += chunk.length;
    if (size <= limit) return;
    off();
    req.pause();
    events.streamed(chunks);
  };
  const onEnd = (): void => {
    off();
    events.whole(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  };
  // 'close' before 'end': the client aborted.
  const onClose = (): void => {
    off();
    events.gone();
  };
  req.on('error', () => undefined);
  req.on('data', onData).on('end', onEnd).on('close', onClose);
}

/**
 * Calls `onIdle` if the body stops coming for `idleMs` while the proxy is reading it (a request paused
 * by the proxy, waiting for a place or for the upstream to take more, is not idle). Returns a stop.
 */
export function watchBodyIdle(req: IncomingMessage, idleMs: number, onIdle: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(fire, idleMs);
  };
  const fire = (): void => {
    if (req.complete || req.destroyed) return stop();
    if (req.isPaused()) return arm();
    stop();
    onIdle();
  };
  const stop = (): void => {
    clearTimeout(timer);
    req.off('data', arm).off('end', stop).off('close', stop);
  };
  if (req.complete) return () => undefined;
  req.on('data', arm).on('end', stop).on('close', stop);
  arm();
  return stop;
}

/** Once the answer is given: the rest of the body is read and dropped, for `lingerMs` at most, then the connection closed. */
export function discardBody(req: IncomingMessage, lingerMs: number = LINGER_MS): void {
  if (req.complete || req.destroyed) return;
  const timer = setTimeout(() => req.socket.destroy(), lingerMs);
  const done = (): void => clearTimeout(timer);
  req.once('end', done).once('close', done);
  req.on('error', () => undefined);
  req.resume();
}
