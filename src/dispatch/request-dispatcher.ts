// Sends logical requests through an undici Pool and follows each to its final outcome: per-attempt
// timeouts, retries with backoff, the in-flight cap. It knows nothing about phases or reports; it tells a
// DispatchSink what happened. All times here are wall-clock ms from performance.now().
//
// Hot path notes (a 5-10k req/s open-model run is one process on one core):
// - One Attempt object per attempt is the undici handler itself: methods on a prototype, no closures.
// - It implements undici's native handler interface (onConnect/onHeaders/onData/onComplete/onError),
//   which the core calls directly; a handler written against the newer controller interface is wrapped
//   per request and has every response's headers parsed into an object we would never read.
// - Timeouts need no timer per request: the timeout is the same for every attempt and attempts are sent
//   in time order, so their deadlines are sorted; a FIFO checked on each tick finds the expired ones.
// - Response bodies are counted and dropped, never buffered.
// - Closed-model users each send on a connection of their own (user i on client i mod -c), as wrk and
//   autocannon do. Through a shared Pool a user's next request, sent from the previous one's
//   completion, would find every connection still busy (undici reports completion before it frees
//   the client) and wait a loop turn in the Pool's queue: measured at 15% of closed-loop throughput.
import { Agent, Client, Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { MinHeap } from '../core/min-heap.js';
import { Random } from '../core/random.js';
import { errorKind, isRetryableStatus, retryAfterWallMs, TIMEOUT } from './outcome.js';
import { RetryBudget, retryDelayMs, type RetryPolicy } from './retry-policy.js';
import { classTemplates, type RequestTemplate } from './request-mix.js';
import type { ExpectedStatuses } from '../core/expected-statuses.js';

export type { RequestTemplate };


export interface DispatcherOptions {
  origin: string;
  request: RequestTemplate;
  connections: number;
  maxInFlight: number;
  /** Per-attempt timeout, wall ms. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Incident ms per wall ms: converts Retry-After seconds, which the mock gives in incident time. */
  speed: number;
  seed: number;
  /** What counts as success: an attempt that ends with one of these is final (never retried). */
  expected: ExpectedStatuses;
  /** Redirects followed per attempt (0: a 3xx is the answer). The attempt's deadline covers them all. */
  redirects: number;
  /** TLS: verify the server's certificate (false: --insecure), against these CAs if given (PEM). */
  tls: { rejectUnauthorized: boolean; ca?: string | undefined };
}

/** What the dispatcher reports; the run records it. */
export interface DispatchSink {
  /** An arrival (of request class `cls`) could not be sent because maxInFlight requests were outstanding. */
  dropped(phase: number, intendedWall: number, cls: number): void;
  /** A request's first attempt went out, lagMs after its intended send time. */
  sent(request: LogicalRequest, lagMs: number): void;
  attempt(request: LogicalRequest, isRetry: boolean): void;
  /** The final outcome: a status, or status 0 and an error kind; `lastSentWall` is the final attempt's send. */
  final(request: LogicalRequest, status: number, error: string | undefined, endWall: number, lastSentWall: number): void;
  /** Still in flight when the run was interrupted. */
  unfinished(request: LogicalRequest): void;
}

/** One request as the user means it: retries are attempts of it. */
export class LogicalRequest {
  attempts = 0;
  lastSentWall = 0;
  lastStatus = 0;
  lastError: string | undefined = undefined;
  lastEndWall = 0;
  constructor(
    readonly phase: number,
    readonly intendedWall: number,
    /** Closed model: the virtual user that sent it; -1 in the open model. */
    readonly vu: number,
    /** Its class in the request mix (0 without one). */
    readonly cls: number,
  ) {}
}

class TimeoutAbort extends Error {
  constructor() {
    super('attempt timed out');
    this.name = 'TimeoutAbort';
  }
}
const TIMEOUT_ABORT = new TimeoutAbort();

class InterruptAbort extends Error {
  constructor() {
    super('run interrupted');
    this.name = 'InterruptAbort';
  }
}
const INTERRUPT_ABORT = new InterruptAbort();

/** One attempt on the wire; also its undici handler. */
class Attempt implements Dispatcher.DispatchHandler {
  status = 0;
  retryAfterMs = -1;
  done = false;
  abortFn: ((err?: Error) => void) | null = null;
  /** With redirects on: where the answer being received points (a 3xx's Location), and hops so far. */
  location: string | null = null;
  hops = 0;
  /** The URL this hop went to, when a redirect brought it elsewhere (null: the request's own). */
  url: URL | null = null;

  constructor(
    readonly owner: RequestDispatcher,
    readonly request: LogicalRequest,
    readonly sentWall: number,
    readonly deadline: number,
  ) {}

  onConnect(abort: (err?: Error) => void): void {
    // Timed out while waiting in the pool for a connection: abort as soon as it gets one.
    if (this.done) abort(TIMEOUT_ABORT);
    else this.abortFn = abort;
  }

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    this.status = status;
    if (status === 429 || status === 503) this.retryAfterMs = retryAfterWallMs(rawHeaders, this.owner.speed);
    else if (status >= 300 && status < 400 && this.hops < this.owner.redirects) this.location = headerValue(rawHeaders, 'location');
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.owner.bytesReceived += chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.location !== null && REDIRECTS.has(this.status)) this.owner.follow(this);
    else this.owner.settle(this, this.status, undefined);
  }

  onError(err: Error): void {
    this.owner.settle(this, 0, errorKind(err));
  }

  onUpgrade(): void {
    this.owner.settle(this, 0, 'unexpected-upgrade');
  }
}

/** Statuses that send a client elsewhere (RFC 9110 §15.4; 300 and 304 are answers, not redirects). */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A header's value from undici's raw list, or null. */
function headerValue(rawHeaders: readonly (Buffer | string)[], name: string): string | null {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === name.length && rawHeaders[i]!.toString().toLowerCase() === name) return rawHeaders[i + 1]!.toString();
  }
  return null;
}

export class RequestDispatcher {
  readonly speed: number;
  readonly redirects: number;
  bytesReceived = 0;
  /** Logical requests sent and not yet final (including those waiting to retry). */
  inFlight = 0;
  #pool: Pool;
  /** Closed model: one client per connection, created on first use. */
  #clients: (Client | undefined)[] = [];
  #clientOptions: Client.Options;
  #options: DispatcherOptions;
  /** One per class of the request mix (one without a mix). */
  #dispatchOptions: Dispatcher.DispatchOptions[];
  #sink: DispatchSink;
  #random: Random;
  #budget: RetryBudget | undefined;
  #deadlines: Attempt[] = [];
  #deadlineHead = 0;
  #retries = new MinHeap<LogicalRequest>();
  #retriesStopped = false;
  #closed = false;
  /** Redirects to another origin go through an Agent, made on first use. */
  #elsewhere: Agent | undefined;
  #expected: ExpectedStatuses;

  constructor(options: DispatcherOptions, sink: DispatchSink) {
    this.#options = options;
    this.speed = options.speed;
    this.redirects = options.redirects;
    this.#expected = options.expected;
    this.#sink = sink;
    this.#random = new Random(options.seed, 'retry-jitter');
    const retry = options.retry;
    this.#budget = retry.max > 0 && retry.budget !== undefined ? new RetryBudget(retry.budget, retry.budgetWindowMs, performance.now()) : undefined;
    this.#clientOptions = {
      pipelining: 1,
      // Our own per-attempt deadline is the only timeout: undici's defaults (300 s) would fire at
      // wall-clock times that mean nothing at --speed 60.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: {
        timeout: Math.max(1_000, Math.min(options.timeoutMs, 10_000)),
        rejectUnauthorized: options.tls.rejectUnauthorized,
        ...(options.tls.ca !== undefined ? { ca: options.tls.ca } : {}),
      },
    };
    this.#pool = new Pool(options.origin, { ...this.#clientOptions, connections: options.connections });
    // The pool reports failed connections as events too; the outcome already reaches the handler.
    this.#pool.on('connectionError', () => {});
    this.#dispatchOptions = classTemplates(options.request).map(({ method, path, headers, body }) => ({
      origin: options.origin,
      method: method as Dispatcher.HttpMethod,
      path,
      headers,
      body: body ?? null,
    }));
  }

  /**
   * A new logical request intended at `intendedWall`; dropped (and reported) when over the in-flight cap.
   * Closed-model users (vu >= 0) bound their own concurrency and are not capped.
   */
  offer(phase: number, intendedWall: number, vu = -1, cls = 0): LogicalRequest | null {
    if (this.#closed || (vu < 0 && this.inFlight >= this.#options.maxInFlight)) {
      this.#sink.dropped(phase, intendedWall, cls);
      return null;
    }
    const request = new LogicalRequest(phase, intendedWall, vu, cls);
    this.inFlight++;
    this.#send(request);
    return request;
  }

  /** Expires attempts past their deadline and sends retries that are due. */
  poll(now: number): void {
    const deadlines = this.#deadlines;
    while (this.#deadlineHead < deadlines.length) {
      const attempt = deadlines[this.#deadlineHead]!;
      if (!attempt.done && attempt.deadline > now) break;
      // Let the attempt go now rather than at the next compaction.
      deadlines[this.#deadlineHead++] = undefined as unknown as Attempt;
      if (!attempt.done) this.#expire(attempt);
    }
    if (this.#deadlineHead > 4096 && this.#deadlineHead * 2 > deadlines.length) {
      this.#deadlines = deadlines.slice(this.#deadlineHead);
      this.#deadlineHead = 0;
    }
    while (this.#retries.peekKey() <= now) this.#send(this.#retries.pop()!);
  }

  /** Wall time of the next deadline or retry, Infinity when nothing is pending. */
  nextWakeWall(): number {
    let wake = this.#retries.peekKey();
    for (let i = this.#deadlineHead; i < this.#deadlines.length; i++) {
      const attempt = this.#deadlines[i]!;
      if (attempt && !attempt.done) {
        if (attempt.deadline < wake) wake = attempt.deadline;
        break;
      }
    }
    return wake;
  }

  /** No new retries: a request waiting for one, or failing from now on, ends with its last outcome. */
  stopRetries(): void {
    this.#retriesStopped = true;
    for (const request of this.#retries.drain()) this.#final(request);
  }

  /** Interrupt: everything still outstanding is reported unfinished and its attempt aborted. */
  abortAll(): void {
    this.#retriesStopped = true;
    for (const request of this.#retries.drain()) this.#unfinished(request);
    for (let i = this.#deadlineHead; i < this.#deadlines.length; i++) {
      const attempt = this.#deadlines[i]!;
      if (!attempt || attempt.done) continue;
      attempt.done = true;
      const abort = attempt.abortFn;
      attempt.abortFn = null;
      this.#unfinished(attempt.request);
      abort?.(INTERRUPT_ABORT);
    }
    this.#deadlines = [];
    this.#deadlineHead = 0;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([this.#pool.destroy(), this.#elsewhere?.destroy(), ...this.#clients.map((c) => c?.destroy())]);
  }

  /**
   * A 3xx with a Location, and redirects left: the same attempt (same deadline, same place in the deadline
   * queue) goes on to where it points, as a browser would: 303, and 301/302 after a POST, become a GET
   * without a body; 307 and 308 keep the method and body. Credentials do not follow to another origin.
   */
  follow(attempt: Attempt): void {
    if (attempt.done) return;
    const base = attempt.url ?? new URL(this.#dispatchOptions[attempt.request.cls]!.path as string, this.#options.origin);
    let next: URL;
    try {
      next = new URL(attempt.location!, base);
    } catch {
      return this.settle(attempt, attempt.status, undefined);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') return this.settle(attempt, attempt.status, undefined);
    const own = this.#dispatchOptions[attempt.request.cls]!;
    const toGet = attempt.status === 303 || ((attempt.status === 301 || attempt.status === 302) && own.method === 'POST');
    const sameOrigin = next.origin === this.#options.origin;
    const headers = sameOrigin ? own.headers : withoutCredentials(own.headers as Record<string, string>);
    attempt.hops++;
    attempt.url = next;
    attempt.location = null;
    attempt.status = 0;
    attempt.abortFn = null;
    const options: Dispatcher.DispatchOptions = {
      origin: next.origin,
      method: toGet && own.method !== 'HEAD' ? 'GET' : own.method,
      path: `${next.pathname}${next.search}`,
      headers,
      body: toGet ? null : own.body ?? null,
    };
    try {
      if (sameOrigin) (attempt.request.vu >= 0 ? this.#clientFor(attempt.request.vu) : this.#pool).dispatch(options, attempt);
      else (this.#elsewhere ??= new Agent({ ...this.#clientOptions, connections: this.#options.connections })).dispatch(options, attempt);
    } catch (err) {
      this.settle(attempt, 0, errorKind(err));
    }
  }

  /** Called by an Attempt when undici reports its end. */
  settle(attempt: Attempt, status: number, error: string | undefined): void {
    if (attempt.done) return;
    attempt.done = true;
    // undici's abort closure holds its whole request state; a settled attempt must not keep it alive
    // while it waits in the deadline queue (#expire has taken its own reference first).
    attempt.abortFn = null;
    let now = performance.now();
    // The client's deadline passed before this answer was seen (the loop checked deadlines late, or
    // the response raced the check): a real client's timer would have fired first, at the deadline.
    if (now >= attempt.deadline) {
      status = 0;
      error = TIMEOUT;
      now = attempt.deadline;
    }
    const request = attempt.request;
    request.lastStatus = status;
    request.lastError = error;
    request.lastEndWall = now;
    request.lastSentWall = attempt.sentWall;
    if (this.#expected.has(status)) return this.#final(request);
    const policy = this.#options.retry;
    const retryable = status > 0 ? isRetryableStatus(status) : true;
    if (!retryable || this.#retriesStopped || request.attempts > policy.max || (this.#budget && !this.#budget.tryRetry(now))) {
      return this.#final(request);
    }
    const delay = retryDelayMs(policy, request.attempts, attempt.retryAfterMs, this.#random);
    if (delay <= 0) this.#send(request);
    else this.#retries.push(now + delay, request);
  }

  #send(request: LogicalRequest): void {
    const now = performance.now();
    request.attempts++;
    const isRetry = request.attempts > 1;
    if (!isRetry) {
      this.#sink.sent(request, now - request.intendedWall);
      this.#budget?.recordFirstAttempt(now);
    }
    this.#sink.attempt(request, isRetry);
    const attempt = new Attempt(this, request, now, now + this.#options.timeoutMs);
    this.#deadlines.push(attempt);
    try {
      (request.vu >= 0 ? this.#clientFor(request.vu) : this.#pool).dispatch(this.#dispatchOptions[request.cls]!, attempt);
    } catch (err) {
      this.settle(attempt, 0, errorKind(err));
    }
  }

  #clientFor(vu: number): Client {
    const i = vu % this.#options.connections;
    let client = this.#clients[i];
    if (!client) {
      client = new Client(this.#options.origin, this.#clientOptions);
      client.on('connectionError', () => {});
      this.#clients[i] = client;
    }
    return client;
  }

  #expire(attempt: Attempt): void {
    const abort = attempt.abortFn;
    this.settle(attempt, 0, TIMEOUT);
    // After settling, so the abort's own onError finds the attempt done and is ignored.
    abort?.(TIMEOUT_ABORT);
  }

  #final(request: LogicalRequest): void {
    this.inFlight--;
    this.#sink.final(request, request.lastStatus, request.lastError, request.lastEndWall, request.lastSentWall);
  }

  #unfinished(request: LogicalRequest): void {
    this.inFlight--;
    this.#sink.unfinished(request);
  }
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

function withoutCredentials(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !CREDENTIAL_HEADERS.has(name)));
}
