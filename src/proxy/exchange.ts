// One request forwarded to the upstream, which is also its handler there (upstream.ts: onConnect,
// onHeaders, onData, onComplete, onError): the response is streamed to the client as it comes, status,
// headers (hop-by-hop ones dropped, Via added), body and trailers, the upstream paused whenever the
// client's side is full. It also carries the
// faults that act on the response: a delay before the headers (add-latency direction=response), a
// bandwidth (throttle.ts), and the deadline for the upstream's headers (the upstream timeout, or a
// shorter one from shorten-timeout). Whatever happens, `done` is called once, with the latency it added.
import type { ServerResponse } from 'node:http';
import { clientResponseHeaders, trailerObject } from './headers.js';
import { Throttle } from './throttle.js';
import { upstreamFailure, type UpstreamFailure, type UpstreamHandler } from './upstream.js';

class ProxyAbort extends Error {
  constructor(readonly why: 'timeout' | 'client-gone') {
    super(why === 'timeout' ? 'the upstream did not answer in time' : 'the client went away');
    this.name = 'ProxyAbort';
  }
}
const TIMEOUT = new ProxyAbort('timeout');

/**
 * A reason phrase is passed on when it is visible ASCII. Anything else (obs-text such as "200 Café")
 * node:http refuses to write, and a client must ignore the phrase anyway (RFC 9112
 * §4): the status's standard phrase goes instead.
 */
const PASSABLE_REASON = /^[\t\x20-\x7e]+$/;
const CLIENT_GONE = new ProxyAbort('client-gone');

export interface ExchangeOptions {
  /** Hold the response headers this long (wall ms) before writing them. */
  responseDelayMs: number;
  /** Bytes per second on the response body; undefined: as fast as it comes. */
  bytesPerSecond: number | undefined;
  /** Give up on the upstream's headers after this long (wall ms) … */
  timeoutMs: number;
  /** … and say so with this reason: "upstream-timeout", or "shorten-timeout" when a fault set it. */
  timeoutReason: string;
  /** Writes the proxy's own answer (a 502/504 with its reason) when the upstream failed before headers. */
  fail(failure: UpstreamFailure): void;
  /** Called once at the end, however it ends, with the wall ms the response faults added and whether the client left before its answer was complete. */
  done(addedMs: number, clientGone: boolean): void;
}

export class Exchange implements UpstreamHandler {
  #abort: ((err?: Error) => void) | null = null;
  #timer: NodeJS.Timeout | undefined;
  #aborted: ProxyAbort | undefined;
  #headersIn = false;
  #holding = false;
  #pending: Buffer[] = [];
  #trailers: [string, string][] | undefined;
  #complete = false;
  #resume: (() => void) | undefined;
  #throttle: Throttle | undefined;
  #finished = false;
  #addedMs = 0;
  #clientGone = false;

  constructor(
    readonly res: ServerResponse,
    readonly options: ExchangeOptions,
  ) {
    this.#timer = setTimeout(() => this.#giveUp(TIMEOUT), options.timeoutMs);
    res.on('close', this.#onClientClose);
    res.on('drain', this.#onDrain);
  }

  readonly #onClientClose = (): void => {
    if (this.#finished) return;
    this.#throttle?.stop();
    this.#clientGone = true;
    this.#giveUp(CLIENT_GONE);
    // The client is gone whatever the upstream does next: this exchange is over.
    this.#finish();
  };

  readonly #onDrain = (): void => {
    if (this.#holding) return;
    if (this.#throttle) this.#throttle.drained();
    else this.#resume?.();
  };

  /** The client's request failed (its body stopped coming): the upstream request is let go of, and the client answered `failure` if nothing was sent yet, its connection cut if something was. */
  clientFailed(failure: UpstreamFailure): void {
    if (this.#finished) return;
    this.#throttle?.stop();
    this.#giveUp(CLIENT_GONE);
    this.#finish();
    if (this.res.headersSent) this.res.destroy();
    else this.options.fail(failure);
  }

  #giveUp(reason: ProxyAbort): void {
    clearTimeout(this.#timer);
    if (this.#headersIn && reason === TIMEOUT) return;
    this.#aborted ??= reason;
    this.#abort?.(reason);
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.#aborted) abort(this.#aborted);
    else this.#abort = abort;
  }

  onHeaders(status: number, rawHeaders: string[], resume: () => void, statusText: string): boolean {
    // 1xx never come here: node:http skips them (upstream.ts).
    if (status < 200) return true;
    clearTimeout(this.#timer);
    this.#headersIn = true;
    this.#resume = resume;
    const headers = clientResponseHeaders(rawHeaders);
    if (this.options.bytesPerSecond !== undefined) {
      this.#throttle = new Throttle(this.options.bytesPerSecond, (slice) => this.res.write(slice), resume);
    }
    const write = (): void => {
      if (this.res.destroyed) return;
      try {
        this.res.writeHead(status, PASSABLE_REASON.test(statusText) ? statusText : undefined, headers);
      } catch (err) {
        // A header node:http will not write (a control character in a value): nothing is sent yet. The
        // refused writeHead may have kept the upstream's reason phrase: the proxy's 502 must not reuse it.
        this.res.statusMessage = '';
        this.#abort?.(CLIENT_GONE);
        this.options.fail({ status: 502, reason: 'upstream-bad-response', message: `the upstream's headers cannot be passed on (${(err as Error).message})` });
        this.#finish();
      }
    };
    if (this.options.responseDelayMs > 0) {
      this.#holding = true;
      this.#addedMs += this.options.responseDelayMs;
      setTimeout(() => {
        this.#holding = false;
        if (this.#finished) return;
        write();
        const pending = this.#pending;
        this.#pending = [];
        for (const chunk of pending) this.#write(chunk);
        if (this.#complete) this.#end();
        else if (this.#throttle === undefined || this.#pending.length === 0) resume();
      }, this.options.responseDelayMs);
      return false;
    }
    write();
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#finished) return false;
    if (this.#holding) {
      this.#pending.push(chunk);
      return false;
    }
    return this.#write(chunk);
  }

  onComplete(rawTrailers: string[] | null): void {
    if (this.#finished) return;
    this.#trailers = trailerObject(rawTrailers);
    this.#complete = true;
    if (!this.#holding) this.#end();
  }

  onError(err: Error): void {
    clearTimeout(this.#timer);
    if (this.#finished) return;
    if (err === CLIENT_GONE) return this.#finish();
    if (this.res.headersSent || this.#headersIn) {
      // Too late for a status: the client sees the connection end mid-answer, as it would from the upstream.
      this.res.destroy();
      return this.#finish();
    }
    const failure: UpstreamFailure =
      err === TIMEOUT
        ? {
            status: 504,
            reason: this.options.timeoutReason,
            message: `no answer from the upstream within ${this.options.timeoutMs} ms${this.options.timeoutReason === 'shorten-timeout' ? ' (shorten-timeout)' : ''}`,
          }
        : upstreamFailure(err as Error & { code?: string });
    this.options.fail(failure);
    this.#finish();
  }

  #write(chunk: Buffer): boolean {
    if (this.#throttle) return this.#throttle.push(chunk);
    return this.res.write(chunk);
  }

  #end(): void {
    const finish = (): void => {
      if (this.#trailers && this.#trailers.length > 0 && !this.res.destroyed) this.res.addTrailers(this.#trailers);
      this.res.end();
      this.#finish();
    };
    if (this.#throttle) this.#throttle.end(finish);
    else finish();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#timer);
    this.res.off('close', this.#onClientClose);
    this.res.off('drain', this.#onDrain);
    this.options.done(this.#addedMs + (this.#throttle?.heldMs ?? 0), this.#clientGone);
  }
}
