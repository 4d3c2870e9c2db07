// Sends logical requests through a Transport (core/transport.ts: undici's sockets, or the bundled mock's
// model in process) and follows each to its final outcome: per-attempt deadlines
// (deadline-queue.ts), retries with backoff and budget (retry-scheduler.ts), redirects within an attempt,
// the in-flight cap. It knows nothing about phases or reports; it tells a DispatchSink what happened. All
// times here are "wall" ms from the run's Clock: performance.now() over sockets, the simulation's time in
// a virtual run.
//
// Hot path notes (a 5-10k req/s open-model run is one process on one core):
// - One Attempt object per attempt is the undici handler itself (attempt.ts); outcomes are shared values.
// - Response bodies are counted and dropped, never buffered.
// - Closed-model users each send on a lane of their own (the transport's client i mod -c), as wrk and
//   autocannon do. Through a shared Pool a user's next request, sent from the previous one's
//   completion, would find every connection still busy (undici reports completion before it frees
//   the client) and wait a loop turn in the Pool's queue: measured at 15% of closed-loop throughput.
import { WALL_CLOCK, type Clock } from '../core/clock.js';
import type { ExpectedStatuses } from '../core/expected-statuses.js';
import type { RequestSettings } from '../core/request.js';
import { Attempt, INTERRUPT_ABORT, TIMEOUT_ABORT, type AttemptOwner } from './attempt.js';
import { DeadlineQueue } from './deadline-queue.js';
import { ClosedRequest, OpenRequest, type LogicalRequest } from './logical-request.js';
import { errorKind, errorOutcome, isRetryable, statusOutcome, TIMEOUT, type Outcome } from './outcome.js';
import { classTemplates } from './request-mix.js';
import { RetryScheduler } from './retry-scheduler.js';
import type { RetryPolicy } from './retry-policy.js';
import type { Dispatch, OutgoingRequest, Transport } from '../core/transport.js';

export interface DispatcherOptions {
  origin: string;
  request: RequestSettings;
  maxInFlight: number;
  timeoutWallMs: number;
  retry: RetryPolicy;
  /** Incident ms per wall ms: converts Retry-After seconds, which the mock gives in incident time. */
  speed: number;
  seed: number;
  /** The random stream of the retries' jitter (each segment of a run has its own). */
  jitterStream?: string;
  /** What counts as success: an attempt that ends with one of these is final (never retried). */
  expected: ExpectedStatuses;
  /** Redirects followed per attempt (0: a 3xx is the answer). The attempt's deadline covers them all. */
  redirects: number;
  /** Whose time it is (default the wall). */
  clock?: Clock;
}

/** What the dispatcher reports; the run records it. */
export interface DispatchSink {
  /** An open-model arrival (of request class `cls`) was not sent: maxInFlight requests were outstanding. */
  dropped(phase: number, intendedWall: number, cls: number): void;
  /** A request's first attempt went out, `lagWallMs` after its intended send time. */
  sent(request: LogicalRequest, lagWallMs: number): void;
  attempt(request: LogicalRequest, isRetry: boolean): void;
  /** The request ended: its outcome, lastEndWall and lastSentWall (the final attempt's) are set. */
  final(request: LogicalRequest & { outcome: Outcome }): void;
  /** Still in flight when the run was stopped. */
  unfinished(request: LogicalRequest): void;
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

export class RequestDispatcher implements AttemptOwner {
  readonly speed: number;
  readonly redirects: number;
  readonly clock: Clock;
  bytesReceived = 0;
  /** Logical requests sent and not yet final (including those waiting to retry). */
  inFlight = 0;
  readonly #options: DispatcherOptions;
  readonly #sink: DispatchSink;
  readonly #expected: ExpectedStatuses;
  readonly #transport: Transport;
  /** One per class of the request mix (one without a mix). */
  readonly #dispatchOptions: OutgoingRequest[];
  readonly #deadlines = new DeadlineQueue();
  readonly #retries: RetryScheduler;
  #closed = false;

  constructor(options: DispatcherOptions, sink: DispatchSink, transport: Transport) {
    this.#options = options;
    this.speed = options.speed;
    this.redirects = options.redirects;
    this.clock = options.clock ?? WALL_CLOCK;
    this.#expected = options.expected;
    this.#sink = sink;
    this.#retries = new RetryScheduler(options.retry, options.seed, this.clock.now(), options.jitterStream);
    this.#transport = transport;
    this.#dispatchOptions = classTemplates(options.request).map(({ method, path, headers, body }) => ({
      origin: options.origin,
      method,
      path,
      headers,
      body: body ?? null,
    }));
  }

  /** An open-model arrival intended at `intendedWall`: sent now, or dropped (and reported) over the in-flight cap. */
  offerOpen(phase: number, intendedWall: number, cls: number): void {
    if (this.#closed || this.inFlight >= this.#options.maxInFlight) {
      this.#sink.dropped(phase, intendedWall, cls);
      return;
    }
    this.inFlight++;
    this.#send(new OpenRequest(phase, intendedWall, cls));
  }

  /** A virtual user's next request, sent now: users bound their own concurrency, so no cap applies. */
  offerClosed(phase: number, nowWall: number, user: number, cls: number): void {
    if (this.#closed) return;
    this.inFlight++;
    this.#send(new ClosedRequest(phase, nowWall, cls, user));
  }

  /** Expires attempts past their deadline and sends retries that are due. */
  poll(nowWall: number): void {
    this.#deadlines.expire(nowWall, this.#expire);
    this.#retries.sendDue(nowWall, this.#resend);
  }

  /** Wall time of the next deadline or retry, Infinity when nothing is pending. */
  nextWakeWall(): number {
    return Math.min(this.#retries.nextDueWall(), this.#deadlines.nextDeadline());
  }

  /** No new retries: a request waiting for one, or failing from now on, ends with its last outcome. */
  stopRetries(): void {
    for (const request of this.#retries.stop()) this.#final(request);
  }

  /** Stop: everything still outstanding is reported unfinished and its attempt aborted. */
  abortAll(): void {
    for (const request of this.#retries.stop()) this.#unfinished(request);
    for (const attempt of this.#deadlines.drain()) {
      attempt.done = true;
      const abort = attempt.abortFn;
      attempt.abortFn = null;
      this.#unfinished(attempt.request);
      abort?.(INTERRUPT_ABORT);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#transport.close();
  }

  /** Called by an Attempt when undici reports its end. */
  settle(attempt: Attempt, outcome: Outcome): void {
    if (attempt.done) return;
    attempt.done = true;
    // undici's abort closure holds its whole request state; a settled attempt must not keep it alive
    // while it waits in the deadline queue (#expire has taken its own reference first).
    attempt.abortFn = null;
    let now = this.clock.now();
    // The client's deadline passed before this answer was seen (the loop checked deadlines late, or
    // the response raced the check): a real client's timer would have fired first, at the deadline.
    if (now >= attempt.deadlineWall) {
      outcome = TIMEOUT;
      now = attempt.deadlineWall;
    }
    const request = attempt.request;
    request.outcome = outcome;
    request.lastEndWall = now;
    request.lastSentWall = attempt.sentWall;
    if ((outcome.kind === 'status' && this.#expected.has(outcome.status)) || !isRetryable(outcome)) return this.#final(request);
    const delay = this.#retries.delayFor(request, attempt.retryAfterWallMs, now);
    if (delay < 0) this.#final(request);
    else if (delay === 0) this.#send(request);
    else this.#retries.schedule(request, now + delay);
  }

  /**
   * A 3xx with a Location, and redirects left: the same attempt (same deadline, same place in the deadline
   * queue) goes on to where it points, as a browser would: 303, and 301/302 after a POST, become a GET
   * without a body; 307 and 308 keep the method and body. Credentials do not follow to another origin.
   */
  follow(attempt: Attempt): void {
    if (attempt.done) return;
    const own = this.#dispatchOptions[attempt.request.cls]!;
    const base = attempt.url ?? new URL(own.path, this.#options.origin);
    let next: URL;
    try {
      next = new URL(attempt.location!, base);
    } catch {
      return this.settle(attempt, statusOutcome(attempt.status));
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') return this.settle(attempt, statusOutcome(attempt.status));
    const toGet = attempt.status === 303 || ((attempt.status === 301 || attempt.status === 302) && own.method === 'POST');
    const sameOrigin = next.origin === this.#options.origin;
    attempt.hops++;
    attempt.url = next;
    attempt.location = null;
    attempt.status = 0;
    attempt.abortFn = null;
    const options: OutgoingRequest = {
      origin: next.origin,
      method: toGet && own.method !== 'HEAD' ? 'GET' : own.method,
      path: `${next.pathname}${next.search}`,
      headers: sameOrigin ? own.headers : withoutCredentials(own.headers as Record<string, string>),
      body: toGet ? null : (own.body ?? null),
    };
    try {
      if (sameOrigin) this.#dispatcherFor(attempt.request).dispatch(options, attempt);
      else this.#transport.elsewhere().dispatch(options, attempt);
    } catch (err) {
      this.settle(attempt, errorOutcome(errorKind(err)));
    }
  }

  #send(request: LogicalRequest): void {
    const now = this.clock.now();
    request.attempts++;
    const isRetry = request.attempts > 1;
    if (!isRetry) {
      this.#sink.sent(request, now - request.intendedWall);
      this.#retries.recordFirstAttempt(now);
    }
    this.#sink.attempt(request, isRetry);
    const attempt = new Attempt(this, request, now, now + this.#options.timeoutWallMs);
    this.#deadlines.push(attempt);
    try {
      this.#dispatcherFor(request).dispatch(this.#dispatchOptions[request.cls]!, attempt);
    } catch (err) {
      this.settle(attempt, errorOutcome(errorKind(err)));
    }
  }

  readonly #resend = (request: LogicalRequest): void => this.#send(request);

  readonly #expire = (attempt: Attempt): void => {
    const abort = attempt.abortFn;
    this.settle(attempt, TIMEOUT);
    // After settling, so the abort's own onError finds the attempt done and is ignored.
    abort?.(TIMEOUT_ABORT);
  };

  #dispatcherFor(request: LogicalRequest): Dispatch {
    return request.model === 'open' ? this.#transport.shared : this.#transport.lane(request.user);
  }

  #final(request: LogicalRequest): void {
    this.inFlight--;
    this.#sink.final(request as LogicalRequest & { outcome: Outcome });
  }

  #unfinished(request: LogicalRequest): void {
    this.inFlight--;
    this.#sink.unfinished(request);
  }
}

function withoutCredentials(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !CREDENTIAL_HEADERS.has(name)));
}
