// The real RequestDispatcher over a scripted transport (test/support/scripted-transport.ts) and a
// ManualClock: every time it keeps is checked exactly — a retry at Retry-After (incident seconds ÷ speed,
// or an HTTP-date read against the clock's epoch origin), at each backoff delay, a timeout at the deadline
// with the attempt aborted, a redirect within the attempt's deadline. No socket, no wall time.
// (request-dispatcher.test.ts keeps the same client over undici and loopback servers.)
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ExpectedStatuses } from '../../src/core/expected-statuses.js';
import { Random } from '../../src/core/random.js';
import { INTERRUPT_ABORT, TIMEOUT_ABORT } from '../../src/dispatch/attempt.js';
import type { LogicalRequest } from '../../src/dispatch/logical-request.js';
import type { Outcome } from '../../src/dispatch/outcome.js';
import { RequestDispatcher, type DispatcherOptions, type DispatchSink } from '../../src/dispatch/request-dispatcher.js';
import type { RetryPolicy } from '../../src/dispatch/retry-policy.js';
import { ScriptedTransport } from '../support/scripted-transport.js';

const ORIGIN = 'http://service.test';
const NO_RETRIES: RetryPolicy = {
  max: 0,
  backoff: 'none',
  baseWallMs: 0,
  capWallMs: 0,
  respectRetryAfter: true,
  budget: undefined,
  budgetWindowWallMs: 10_000,
};
const TIMEOUT = { kind: 'error', error: 'timeout' };
const status = (s: number): Outcome => ({ kind: 'status', status: s });

/** What the dispatcher reports, each with the clock's time. */
class Events implements DispatchSink {
  dropped_: number[] = [];
  attempts: { isRetry: boolean; at: number }[] = [];
  finals: (LogicalRequest & { outcome: Outcome })[] = [];
  unfinished_: LogicalRequest[] = [];
  constructor(readonly clock: ManualClock) {}
  dropped(_phase: number, intendedWall: number): void {
    this.dropped_.push(intendedWall);
  }
  sent(): void {}
  attempt(_request: LogicalRequest, isRetry: boolean): void {
    this.attempts.push({ isRetry, at: this.clock.now() });
  }
  final(request: LogicalRequest & { outcome: Outcome }): void {
    this.finals.push(request);
  }
  unfinished(request: LogicalRequest): void {
    this.unfinished_.push(request);
  }
}

function setUp(options: Partial<DispatcherOptions> = {}, epochOrigin = Date.UTC(2026, 11, 1)) {
  const clock = new ManualClock(epochOrigin);
  const transport = new ScriptedTransport(clock);
  const events = new Events(clock);
  const d = new RequestDispatcher(
    {
      origin: ORIGIN,
      request: { method: 'GET', path: '/work', headers: { authorization: 'Bearer x' } },
      maxInFlight: 100,
      timeoutWallMs: 5_000,
      retry: NO_RETRIES,
      speed: 1,
      seed: 1,
      expected: ExpectedStatuses.DEFAULT,
      redirects: 0,
      clock,
      ...options,
    },
    events,
    transport,
  );
  /** Moves the clock to `t` and polls, as the run's loop does when it wakes. */
  const at = (t: number): void => {
    clock.set(t);
    d.poll(t);
  };
  return { clock, transport, events, d, at };
}

describe('RequestDispatcher in virtual time: retries', () => {
  it('retries exactly at Retry-After after the answer: incident seconds ÷ speed', () => {
    // At speed 20, "Retry-After: 2" is two incident seconds: 100 ms of the run's clock.
    const { transport, events, d, at } = setUp({ speed: 20, retry: { ...NO_RETRIES, max: 3 } });
    at(10);
    d.offerOpen(0, 10, 0);
    at(37);
    transport.answer(0, 503, { 'retry-after': '2' });
    expect(d.nextWakeWall()).toBe(137);
    at(136.999);
    expect(transport.exchanges).toHaveLength(1);
    at(137);
    expect(transport.exchanges.map((x) => x.at)).toEqual([10, 137]);
    expect(events.attempts).toEqual([
      { isRetry: false, at: 10 },
      { isRetry: true, at: 137 },
    ]);
    at(150);
    transport.answer(1, 200);
    expect(events.finals).toHaveLength(1);
    expect(events.finals[0]).toMatchObject({ outcome: status(200), attempts: 2, lastSentWall: 137, lastEndWall: 150, intendedWall: 10 });
    expect(d.inFlight).toBe(0);
  });

  it('reads a Retry-After HTTP-date against the clock: its epoch origin plus its time, never divided by speed', () => {
    const origin = Date.UTC(2026, 11, 1, 0, 0, 0);
    const { transport, d, at } = setUp({ speed: 20, retry: { ...NO_RETRIES, max: 1 } }, origin);
    at(0);
    d.offerOpen(0, 0, 0);
    at(500);
    transport.answer(0, 429, { 'retry-after': new Date(origin + 3_000).toUTCString() });
    expect(d.nextWakeWall()).toBe(3_000);
    at(3_000);
    expect(transport.exchanges.map((x) => x.at)).toEqual([0, 3_000]);
  });

  it('backs off exponentially: base · 2^(retry − 1), capped, after each answer', () => {
    const { transport, events, d, at } = setUp({ retry: { ...NO_RETRIES, max: 4, backoff: 'exponential', baseWallMs: 100, capWallMs: 300 } });
    at(0);
    d.offerOpen(0, 0, 0);
    const sentAt: number[] = [0];
    for (let i = 0; i < 4; i++) {
      const answered = sentAt[i]! + 7;
      at(answered);
      transport.answer(i, 500);
      const due = answered + [100, 200, 300, 300][i]!;
      expect(d.nextWakeWall()).toBe(due);
      at(due);
      sentAt.push(due);
    }
    expect(transport.exchanges.map((x) => x.at)).toEqual(sentAt);
    // The fifth attempt's 500 is the last: max 4 retries.
    at(sentAt[4]! + 7);
    transport.answer(4, 500);
    expect(events.finals).toHaveLength(1);
    expect(events.finals[0]).toMatchObject({ outcome: status(500), attempts: 5, lastEndWall: sentAt[4]! + 7 });
    expect(d.nextWakeWall()).toBe(Infinity);
  });

  it("draws full-jitter delays from the seed's retry-jitter stream: uniform below the exponential ceiling", () => {
    const seed = 42;
    const { transport, d, at } = setUp({ seed, retry: { ...NO_RETRIES, max: 3, backoff: 'full-jitter', baseWallMs: 1_000, capWallMs: 1_500 } });
    const jitter = new Random(seed, 'retry-jitter');
    at(0);
    d.offerOpen(0, 0, 0);
    let sent = 0;
    for (const ceiling of [1_000, 1_500, 1_500]) {
      at(sent + 10);
      transport.answer(transport.exchanges.length - 1, 502);
      const due = sent + 10 + jitter.next() * ceiling;
      expect(d.nextWakeWall()).toBe(due);
      at(due);
      expect(transport.exchanges.at(-1)!.at).toBe(due);
      sent = due;
    }
    expect(transport.exchanges).toHaveLength(4);
  });

  it('a Retry-After longer than the backoff wins; a shorter one does not shorten it', () => {
    const { transport, d, at } = setUp({ retry: { ...NO_RETRIES, max: 2, backoff: 'exponential', baseWallMs: 400, capWallMs: 400 } });
    at(0);
    d.offerOpen(0, 0, 0);
    at(10);
    transport.answer(0, 503, { 'retry-after': '1' });
    expect(d.nextWakeWall()).toBe(1_010);
    at(1_010);
    at(1_020);
    transport.answer(1, 503, { 'retry-after': '0' });
    expect(d.nextWakeWall()).toBe(1_420);
  });

  it("holds retries to the budget's share of first attempts; a request refused one ends with its answer", () => {
    const { transport, events, d, at } = setUp({ retry: { ...NO_RETRIES, max: 5, budget: 0.2, budgetWindowWallMs: 60_000 } });
    at(0);
    for (let i = 0; i < 20; i++) d.offerOpen(0, 0, 0);
    // Each 429 without Retry-After and with no backoff is retried at once, while the budget has room.
    at(5);
    while (transport.pending().length > 0) transport.answer(transport.exchanges.indexOf(transport.pending()[0]!), 429);
    expect(events.attempts.filter((a) => a.isRetry)).toHaveLength(4);
    expect(transport.exchanges).toHaveLength(24);
    expect(events.finals).toHaveLength(20);
    expect(events.finals.every((r) => r.outcome.kind === 'status' && r.outcome.status === 429 && r.lastEndWall === 5)).toBe(true);
    expect(d.inFlight).toBe(0);
  });

  it('stopping retries ends the requests waiting for one with their last outcome, at once', () => {
    const { transport, events, d, at } = setUp({ retry: { ...NO_RETRIES, max: 3 } });
    at(0);
    for (let i = 0; i < 3; i++) d.offerOpen(0, 0, 0);
    at(20);
    for (let i = 0; i < 3; i++) transport.answer(i, 429, { 'retry-after': '60' });
    expect(d.nextWakeWall()).toBe(60_020);
    d.stopRetries();
    expect(events.finals.map((r) => [r.outcome, r.lastEndWall])).toEqual(Array(3).fill([status(429), 20]));
    expect(d.inFlight).toBe(0);
    expect(d.nextWakeWall()).toBe(Infinity);
  });
});

describe('RequestDispatcher in virtual time: deadlines', () => {
  it('times an attempt out exactly at its deadline and aborts it; a late error from the abort is ignored', () => {
    const { transport, events, d, at } = setUp({ timeoutWallMs: 250 });
    at(10);
    d.offerOpen(0, 10, 0);
    expect(d.nextWakeWall()).toBe(260);
    at(259.999);
    expect(events.finals).toHaveLength(0);
    expect(transport.exchanges[0]!.aborted).toBeUndefined();
    at(260);
    expect(events.finals).toHaveLength(1);
    expect(events.finals[0]).toMatchObject({ outcome: TIMEOUT, lastSentWall: 10, lastEndWall: 260 });
    expect(transport.exchanges[0]!.aborted).toBe(TIMEOUT_ABORT);
    // The transport reports the abort as an error afterwards: the request already ended.
    at(261);
    transport.fail(0, 'ECONNRESET');
    expect(events.finals).toHaveLength(1);
    expect(d.inFlight).toBe(0);
  });

  it('an answer at the very instant of the deadline is a timeout, ended at the deadline; a moment earlier it is the answer', () => {
    const { clock, transport, events, d, at } = setUp({ timeoutWallMs: 100 });
    at(0);
    d.offerOpen(0, 0, 0);
    d.offerOpen(0, 0, 0);
    clock.set(99.999);
    transport.answer(0, 200);
    // The model's answer goes before the loop's tick at one instant (virtual-run.ts): the answer comes
    // first, at the deadline, and settle sees the deadline has come.
    clock.set(100);
    transport.answer(1, 200);
    expect(events.finals.map((r) => [r.outcome, r.lastEndWall])).toEqual([
      [status(200), 99.999],
      [TIMEOUT, 100],
    ]);
    at(100);
    expect(events.finals).toHaveLength(2);
  });

  it('a timed-out attempt is retried after the backoff, with a deadline of its own', () => {
    const { transport, events, d, at } = setUp({ timeoutWallMs: 100, retry: { ...NO_RETRIES, max: 1, backoff: 'exponential', baseWallMs: 50, capWallMs: 50 } });
    at(0);
    d.offerOpen(0, 0, 0);
    at(100);
    expect(d.nextWakeWall()).toBe(150);
    at(150);
    expect(transport.exchanges.map((x) => x.at)).toEqual([0, 150]);
    expect(d.nextWakeWall()).toBe(250);
    at(250);
    expect(events.finals[0]).toMatchObject({ outcome: TIMEOUT, attempts: 2, lastSentWall: 150, lastEndWall: 250 });
  });

  it('a redirect goes on within the same attempt: the deadline counts from the first hop, credentials stay home', () => {
    const { transport, events, d, at } = setUp({ timeoutWallMs: 100, redirects: 2 });
    at(0);
    d.offerOpen(0, 0, 0);
    at(40);
    transport.answer(0, 302, { location: '/elsewhere-on-site?x=1' });
    expect(transport.exchanges[1]).toMatchObject({ at: 40, via: 'shared', request: { origin: ORIGIN, path: '/elsewhere-on-site?x=1' } });
    expect(transport.exchanges[1]!.request.headers).toMatchObject({ authorization: 'Bearer x' });
    at(70);
    transport.answer(1, 307, { location: 'http://other.test/x' });
    expect(transport.exchanges[2]).toMatchObject({ at: 70, via: 'elsewhere', request: { origin: 'http://other.test', method: 'GET', path: '/x' } });
    expect(transport.exchanges[2]!.request.headers).not.toHaveProperty('authorization');
    // One attempt: one deadline, 100 after the first hop went out, not after the last.
    expect(d.nextWakeWall()).toBe(100);
    at(100);
    expect(events.attempts).toHaveLength(1);
    expect(events.finals[0]).toMatchObject({ outcome: TIMEOUT, lastSentWall: 0, lastEndWall: 100 });
    expect(transport.exchanges[2]!.aborted).toBe(TIMEOUT_ABORT);
    expect(transport.exchanges[0]!.aborted).toBeUndefined();
  });
});

describe('RequestDispatcher in virtual time: the cap, lanes and a stop', () => {
  it('drops open-model arrivals over the in-flight cap; closed users go uncapped on lanes of their own', () => {
    const { transport, events, d, at } = setUp({ maxInFlight: 5 });
    at(0);
    for (let i = 0; i < 12; i++) d.offerOpen(0, i, 0);
    expect(transport.exchanges).toHaveLength(5);
    expect(events.dropped_).toEqual([5, 6, 7, 8, 9, 10, 11]);
    // An answer frees a place under the cap: the next arrival goes.
    at(3);
    transport.answer(0, 200);
    d.offerOpen(0, 3, 0);
    d.offerOpen(0, 3, 0);
    expect(transport.exchanges).toHaveLength(6);
    expect(events.dropped_).toHaveLength(8);
    // Closed-model users are not capped: each sends on its own lane.
    for (let user = 0; user < 3; user++) d.offerClosed(0, 3, user, 0);
    expect(transport.exchanges.map((x) => x.via)).toEqual([...Array(6).fill('shared'), 'lane 0', 'lane 1', 'lane 2']);
    expect(d.inFlight).toBe(8);
  });

  it('abortAll counts what is out or waiting to retry as unfinished, and aborts every attempt on the way', async () => {
    const { transport, events, d, at } = setUp({ retry: { ...NO_RETRIES, max: 1 } });
    at(0);
    for (let i = 0; i < 3; i++) d.offerOpen(0, 0, 0);
    at(5);
    transport.answer(0, 503, { 'retry-after': '10' });
    d.abortAll();
    expect(events.unfinished_).toHaveLength(3);
    expect(events.finals).toHaveLength(0);
    expect(transport.exchanges.map((x) => x.aborted)).toEqual([undefined, INTERRUPT_ABORT, INTERRUPT_ABORT]);
    expect(d.inFlight).toBe(0);
    await d.close();
    expect(transport.closed).toBe(true);
  });
});
