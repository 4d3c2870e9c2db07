// Test-side traffic: a seeded open-loop Poisson client and a closed-loop client, on undici's Pool, plus
// small helpers for the control API. Only loopback addresses, only ports the mock picked.
import { Pool } from 'undici';
import type { MockState } from '../../../src/mock/mock.js';
import { Random } from '../../../src/core/random.js';

export interface Outcome {
  index: number;
  /** Wall ms (performance.now) the request was meant to leave and did leave. */
  intendedAt: number;
  sentAt: number;
  /** Wall ms the answer (or the error) came back. */
  doneAt: number;
  status?: number;
  error?: string;
  /** From server-timing, incident ms. */
  queueMs?: number;
  serviceMs?: number;
  /** Added latency (server-timing `delay`), incident ms. */
  delayMs?: number;
  retryAfter?: string;
  /** The JSON body: the task id, its virtual arrival time, and (200) queue and service at full precision. */
  body?: { task: number; arrivedAt: number; queueMs: number; serviceMs: number; error?: string };
}

/** `queue;dur=12.5, service;dur=100` -> { queue: 12.5, service: 100 } */
export function parseServerTiming(header: string | string[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of String(header ?? '').split(',')) {
    const m = /^\s*([\w-]+)\s*;\s*dur=([\d.]+)\s*$/.exec(part);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

async function send(pool: Pool, index: number, intendedAt: number, timeoutMs: number | undefined): Promise<Outcome> {
  const sentAt = performance.now();
  const controller = new AbortController();
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await pool.request({ path: `/task/${index}`, method: 'GET', signal: controller.signal, headersTimeout: 0, bodyTimeout: 0 });
    const body = (await res.body.json()) as Outcome['body'];
    const timing = parseServerTiming(res.headers['server-timing']);
    const retryAfter = res.headers['retry-after'];
    return {
      index,
      intendedAt,
      sentAt,
      doneAt: performance.now(),
      status: res.statusCode,
      queueMs: timing.queue,
      serviceMs: timing.service,
      delayMs: timing.delay,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
      body,
    };
  } catch (err) {
    const error = controller.signal.aborted ? 'timeout' : ((err as { code?: string }).code ?? (err as Error).message);
    return { index, intendedAt, sentAt, doneAt: performance.now(), error };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export interface OpenLoopOptions {
  url: string;
  /** Arrivals per wall second. */
  rate: number;
  count: number;
  seed: number;
  /** The client gives up (and disconnects) after this many wall ms. */
  timeoutMs?: number;
  connections?: number;
  /** Called at `at` wall ms after the start (e.g. to inject a fault mid-run). */
  at?: { afterMs: number; run: () => Promise<void> | void }[];
}

/**
 * Open loop: send times come from a seeded Poisson schedule alone, never from responses. Due arrivals are
 * sent as soon as the client's event loop gets to them; a Poisson process whose points are each shifted
 * by independent delays is still Poisson, so only correlated lag (pauses) would distort what the mock sees.
 */
export async function openLoop(options: OpenLoopOptions): Promise<Outcome[]> {
  const pool = new Pool(options.url, { connections: options.connections ?? 256, pipelining: 1, keepAliveTimeout: 60_000 });
  const gaps = new Random(options.seed, 'test.open-loop');
  const start = performance.now();
  const intended: number[] = [];
  for (let i = 0, t = start; i < options.count; i++) intended.push((t += gaps.exponential(1000 / options.rate)));
  const pending: Promise<Outcome>[] = [];
  const hooks = (options.at ?? []).map(
    (h) => new Promise<void>((resolve, reject) => setTimeout(() => Promise.resolve(h.run()).then(resolve, reject), h.afterMs)),
  );
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < intended.length && intended[next]! <= now) {
        pending.push(send(pool, next, intended[next]!, options.timeoutMs));
        next++;
      }
      if (next >= intended.length) return resolve();
      const wait = intended[next]! - performance.now();
      if (wait > 2) setTimeout(tick, Math.floor(wait - 1));
      else setImmediate(tick);
    };
    tick();
  });
  const outcomes = await Promise.all(pending);
  await Promise.all(hooks);
  await pool.close();
  return outcomes;
}

export interface Traffic {
  /** Outcomes so far (the array keeps growing until `stop`). */
  readonly outcomes: Outcome[];
  /** Stops sending, waits for the answers in flight, returns every outcome. */
  stop(): Promise<Outcome[]>;
}

/** Open-loop Poisson traffic until stopped: for tests that act on the mock while it flows. */
export function startOpenLoop(options: { url: string; rate: number; seed: number; timeoutMs?: number; connections?: number }): Traffic {
  const pool = new Pool(options.url, { connections: options.connections ?? 256, pipelining: 1, keepAliveTimeout: 60_000 });
  const gaps = new Random(options.seed, 'test.open-loop');
  const outcomes: Outcome[] = [];
  const pending = new Set<Promise<void>>();
  let next = performance.now();
  let index = 0;
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let stopped = false;
  const tick = () => {
    const now = performance.now();
    while (!stopped && next <= now) {
      const p: Promise<void> = send(pool, index++, next, options.timeoutMs).then((o) => {
        outcomes.push(o);
        pending.delete(p);
      });
      pending.add(p);
      next += gaps.exponential(1000 / options.rate);
    }
    if (stopped) return;
    const wait = next - performance.now();
    timer = wait > 2 ? setTimeout(tick, Math.floor(wait - 1)) : setImmediate(tick);
  };
  tick();
  return {
    outcomes,
    async stop() {
      stopped = true;
      if (timer) {
        clearTimeout(timer as NodeJS.Timeout);
        clearImmediate(timer as NodeJS.Immediate);
      }
      while (pending.size > 0) await Promise.all([...pending]);
      await pool.close();
      return outcomes;
    },
  };
}

/** Closed-loop traffic until stopped. */
export function startClosedLoop(url: string, clients: number): Traffic {
  const pool = new Pool(url, { connections: clients, pipelining: 1 });
  const outcomes: Outcome[] = [];
  let stopped = false;
  const loops = Array.from({ length: clients }, async (_, client) => {
    for (let i = 0; !stopped; i++) outcomes.push(await send(pool, client * 1_000_000 + i, performance.now(), undefined));
  });
  return {
    outcomes,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      await pool.close();
      return outcomes;
    },
  };
}

/** Waits until `done()` holds, polling every 10 ms (wall); throws after `timeoutMs`. */
export async function until(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > end) throw new Error('timed out waiting');
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls /state until `done` holds (or throws after `timeoutMs` of wall time). */
export async function waitFor(target: ControlTarget, done: (s: MockState) => boolean, timeoutMs = 10_000): Promise<MockState> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const s = await state(target);
    if (done(s)) return s;
    if (performance.now() > end)
      throw new Error(
        `timed out waiting on the mock; last state: ${JSON.stringify({ t: s.t, queued: s.queued, busy: s.busy, workers: s.workers, routersReady: s.routersReady })}`,
      );
    await sleep(20);
  }
}

/**
 * Tasks served per incident second over about `wallMs` of wall time, from the mock's own counters (exact
 * virtual time), and the 200s the client received in the same wall window, per incident second.
 */
export async function throughput(target: ControlTarget, traffic: Traffic, wallMs: number): Promise<{ served: number; received: number }> {
  const a = await state(target);
  const wallA = performance.now();
  const before = traffic.outcomes.length;
  await sleep(wallMs);
  const b = await state(target);
  const wallB = performance.now();
  const received = traffic.outcomes.slice(before).filter((o) => o.status === 200 && o.doneAt >= wallA && o.doneAt <= wallB).length;
  const incidentSeconds = (b.t - a.t) / 1000;
  return { served: (b.counters.served - a.counters.served) / incidentSeconds, received: received / incidentSeconds };
}

export interface ClosedLoopResult {
  /** Wall ms when each 200 came back. */
  okAt: number[];
  outcomes: number;
}

/** Closed loop: `clients` loops, each sending its next request when the previous answer is in. */
export async function closedLoop(url: string, clients: number, durationMs: number): Promise<ClosedLoopResult> {
  const pool = new Pool(url, { connections: clients, pipelining: 1 });
  const okAt: number[] = [];
  let outcomes = 0;
  const end = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; performance.now() < end; i++) {
        const outcome = await send(pool, client * 1_000_000 + i, performance.now(), undefined);
        outcomes++;
        if (outcome.status === 200) okAt.push(outcome.doneAt);
      }
    }),
  );
  await pool.close();
  return { okAt, outcomes };
}

export interface ControlResponse<T = unknown> {
  status: number;
  body: T;
}

/** A running mock's control API: where it is and the token it wants (a RunningMock is one). */
export interface ControlTarget {
  controlUrl: string;
  token: string;
}

/**
 * A request to the control API, as a well-behaved client sends it (the token; JSON for writes); `headers`
 * adds to or replaces those. The body is parsed as JSON when it can be.
 */
export async function control<T = Record<string, unknown>>(
  target: ControlTarget,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ControlResponse<T>> {
  const write = method === 'POST' || method === 'DELETE';
  const res = await fetch(`${target.controlUrl}${path}`, {
    method,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    headers: { authorization: `Bearer ${target.token}`, ...(write || body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T };
}

export async function state(target: ControlTarget): Promise<MockState> {
  return (await control<MockState>(target, 'GET', '/state')).body;
}

export async function inject(target: ControlTarget, fault: Record<string, unknown>): Promise<{ id: number; at: number }> {
  const res = await control<{ id: number; at: number; error?: string }>(target, 'POST', '/faults', fault);
  if (res.status !== 201) throw new Error(`fault ${JSON.stringify(fault)} -> ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function count(outcomes: Outcome[], status: number): number {
  return outcomes.filter((o) => o.status === status).length;
}

export function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
