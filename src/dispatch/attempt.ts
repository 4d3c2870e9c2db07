// One attempt on the wire, which is also its undici handler: methods on a prototype, no closures per
// request. It implements undici's native handler interface (onConnect/onHeaders/onData/onComplete/onError),
// which the core calls directly; a handler written against the newer controller interface is wrapped per
// request and has every response's headers parsed into an object we would never read.
import type { Dispatcher } from 'undici';
import type { Clock } from '../core/clock.js';
import type { LogicalRequest } from './logical-request.js';
import { errorKind, errorOutcome, retryAfterWallMs, statusOutcome, type Outcome } from './outcome.js';

/** What an attempt reports to, and asks of, the dispatcher that sent it. */
export interface AttemptOwner {
  /** Incident ms per wall ms: Retry-After seconds are incident time. */
  readonly speed: number;
  /** Redirects an attempt may follow. */
  readonly redirects: number;
  /** Whose time it is: a Retry-After HTTP-date is read against it. */
  readonly clock: Clock;
  bytesReceived: number;
  settle(attempt: Attempt, outcome: Outcome): void;
  follow(attempt: Attempt): void;
}

/** Statuses that send a client elsewhere (RFC 9110 §15.4; 300 and 304 are answers, not redirects). */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

class TimeoutAbort extends Error {
  constructor() {
    super('attempt timed out');
    this.name = 'TimeoutAbort';
  }
}
export const TIMEOUT_ABORT = new TimeoutAbort();

class InterruptAbort extends Error {
  constructor() {
    super('run interrupted');
    this.name = 'InterruptAbort';
  }
}
export const INTERRUPT_ABORT = new InterruptAbort();

export class Attempt implements Dispatcher.DispatchHandler {
  status = 0;
  retryAfterWallMs = -1;
  done = false;
  abortFn: ((err?: Error) => void) | null = null;
  /** With redirects on: where the answer being received points (a 3xx's Location), and hops so far. */
  location: string | null = null;
  hops = 0;
  /** The URL this hop went to, when a redirect brought it elsewhere (null: the request's own). */
  url: URL | null = null;

  constructor(
    readonly owner: AttemptOwner,
    readonly request: LogicalRequest,
    readonly sentWall: number,
    /** Wall ms by which it must have its answer; the whole redirect chain shares it. */
    readonly deadlineWall: number,
  ) {}

  onConnect(abort: (err?: Error) => void): void {
    // Timed out while waiting in the pool for a connection: abort as soon as it gets one.
    if (this.done) abort(TIMEOUT_ABORT);
    else this.abortFn = abort;
  }

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    this.status = status;
    if (status === 429 || status === 503) this.retryAfterWallMs = retryAfterWallMs(rawHeaders, this.owner.speed, this.owner.clock);
    else if (status >= 300 && status < 400 && this.hops < this.owner.redirects) this.location = headerValue(rawHeaders, 'location');
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.owner.bytesReceived += chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.location !== null && REDIRECTS.has(this.status)) this.owner.follow(this);
    else this.owner.settle(this, statusOutcome(this.status));
  }

  onError(err: Error): void {
    this.owner.settle(this, errorOutcome(errorKind(err)));
  }

  onUpgrade(): void {
    this.owner.settle(this, errorOutcome('unexpected-upgrade'));
  }
}

/** A header's value from undici's raw list, or null. */
function headerValue(rawHeaders: readonly (Buffer | string)[], name: string): string | null {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === name.length && rawHeaders[i]!.toString().toLowerCase() === name) return rawHeaders[i + 1]!.toString();
  }
  return null;
}
