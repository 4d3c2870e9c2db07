// The dispatcher in process, against loopback servers this test starts: what it reports for the in-flight
// cap, deadlines, retries (Retry-After, the budget, stopping them) and an abort. Times are checked only as
// the bounds the dispatcher guarantees by construction (a deadline is exact; a retry never goes early).
import { afterAll, describe, expect, it } from 'vitest';
import { ExpectedStatuses } from '../../src/core/expected-statuses.js';
import type { LogicalRequest } from '../../src/dispatch/logical-request.js';
import type { Outcome } from '../../src/dispatch/outcome.js';
import { UndiciTransport } from '../../src/dispatch/undici-transport.js';
import { RequestDispatcher, type DispatcherOptions, type DispatchSink } from '../../src/dispatch/request-dispatcher.js';
import { plainServer, retryAfterServer, type TestServer } from '../support/servers.js';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function serve(server: Promise<TestServer>): Promise<TestServer> {
  const s = await server;
  servers.push(s);
  return s;
}

/** Everything the dispatcher reports, in order. */
class Events implements DispatchSink {
  dropped_: number[] = [];
  sent_: LogicalRequest[] = [];
  attempts: { request: LogicalRequest; isRetry: boolean; at: number }[] = [];
  finals: (LogicalRequest & { outcome: Outcome })[] = [];
  unfinished_: LogicalRequest[] = [];
  dropped(phase: number): void {
    this.dropped_.push(phase);
  }
  sent(request: LogicalRequest): void {
    this.sent_.push(request);
  }
  attempt(request: LogicalRequest, isRetry: boolean): void {
    this.attempts.push({ request, isRetry, at: performance.now() });
  }
  final(request: LogicalRequest & { outcome: Outcome }): void {
    this.finals.push(request);
  }
  unfinished(request: LogicalRequest): void {
    this.unfinished_.push(request);
  }
}

function dispatcher(server: TestServer, events: Events, options: Partial<DispatcherOptions> = {}): RequestDispatcher {
  const origin = new URL(server.url).origin;
  return new RequestDispatcher(
    {
      origin,
      request: { method: 'GET', path: '/', headers: {} },
      maxInFlight: 100,
      timeoutWallMs: 5_000,
      retry: { max: 0, backoff: 'none', baseWallMs: 0, capWallMs: 0, respectRetryAfter: true, budget: undefined, budgetWindowWallMs: 10_000 },
      speed: 1,
      seed: 1,
      expected: ExpectedStatuses.DEFAULT,
      redirects: 0,
      ...options,
    },
    events,
    new UndiciTransport({ origin, connections: 16, connectTimeoutWallMs: 5_000, tls: { rejectUnauthorized: true } }),
  );
}

/** Polls the dispatcher (as the run's loop does) until `done`, at most `timeoutMs`. */
async function pollUntil(d: RequestDispatcher, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > end) throw new Error('timed out polling the dispatcher');
    d.poll(performance.now());
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('RequestDispatcher', () => {
  it('drops open-model arrivals over the in-flight cap, counted, never sent late; closed-model users are not capped', async () => {
    const server = await serve(plainServer(60_000));
    const events = new Events();
    const d = dispatcher(server, events, { maxInFlight: 5 });
    for (let i = 0; i < 12; i++) d.offerOpen(0, performance.now(), 0);
    expect(events.sent_).toHaveLength(5);
    expect(events.dropped_).toHaveLength(7);
    for (let user = 0; user < 3; user++) d.offerClosed(0, performance.now(), user, 0);
    expect(events.sent_).toHaveLength(8);
    d.abortAll();
    expect(events.unfinished_).toHaveLength(8);
    expect(d.inFlight).toBe(0);
    await d.close();
  });

  it('times an attempt out at its deadline exactly: a timeout, ended at sent + timeout', async () => {
    const server = await serve(plainServer(60_000));
    const events = new Events();
    const d = dispatcher(server, events, { timeoutWallMs: 50 });
    d.offerOpen(0, performance.now(), 0);
    await pollUntil(d, () => events.finals.length === 1);
    const [request] = events.finals;
    expect(request!.outcome).toEqual({ kind: 'error', error: 'timeout' });
    // The deadline is sent + timeout, one addition; comparing that sum (not a difference, which rounds
    // by an ulp at some clock readings: 50.000000000000114 once) keeps the check exact at any time.
    expect(request!.lastEndWall).toBe(request!.lastSentWall + 50);
    await d.close();
  });

  it('honours Retry-After: the retry goes no earlier than the server asked (seconds are incident time: / speed)', async () => {
    const server = await serve(retryAfterServer(1, 1));
    const events = new Events();
    // At speed 20, "Retry-After: 1" is a second of incident time: 50 ms of wall time.
    const d = dispatcher(server, events, {
      speed: 20,
      retry: { max: 3, backoff: 'none', baseWallMs: 0, capWallMs: 0, respectRetryAfter: true, budget: undefined, budgetWindowWallMs: 500 },
    });
    d.offerOpen(0, performance.now(), 0);
    await pollUntil(d, () => events.finals.length === 1);
    expect(events.finals[0]!.outcome).toEqual({ kind: 'status', status: 200 });
    expect(events.attempts.map((a) => a.isRetry)).toEqual([false, true]);
    const [first, retry] = events.attempts;
    expect(retry!.at - first!.at).toBeGreaterThanOrEqual(50);
    await d.close();
  });

  it('a retry budget holds retries to its share of first attempts', async () => {
    const server = await serve(retryAfterServer(1_000_000, 0));
    const events = new Events();
    const d = dispatcher(server, events, {
      retry: { max: 5, backoff: 'none', baseWallMs: 0, capWallMs: 0, respectRetryAfter: false, budget: 0.2, budgetWindowWallMs: 60_000 },
    });
    for (let i = 0; i < 20; i++) d.offerOpen(0, performance.now(), 0);
    await pollUntil(d, () => events.finals.length === 20);
    // 20 first attempts, a budget of 20%: at most 4 retries in the window, though each request may have 5.
    const retries = events.attempts.filter((a) => a.isRetry).length;
    expect(retries).toBe(4);
    expect(events.finals.every((r) => r.outcome.kind === 'status' && r.outcome.status === 429)).toBe(true);
    await d.close();
  });

  it('stopping retries ends the requests waiting for one with their last outcome', async () => {
    const server = await serve(retryAfterServer(1_000_000, 60));
    const events = new Events();
    const d = dispatcher(server, events, {
      retry: { max: 3, backoff: 'none', baseWallMs: 0, capWallMs: 0, respectRetryAfter: true, budget: undefined, budgetWindowWallMs: 10_000 },
    });
    for (let i = 0; i < 3; i++) d.offerOpen(0, performance.now(), 0);
    // Each got its 429 with a minute's Retry-After and waits for its retry.
    await pollUntil(d, () => events.attempts.length === 3 && d.nextWakeWall() - performance.now() > 30_000);
    d.stopRetries();
    expect(events.finals.map((r) => r.outcome)).toEqual(Array(3).fill({ kind: 'status', status: 429 }));
    expect(d.inFlight).toBe(0);
    await d.close();
  });
});
