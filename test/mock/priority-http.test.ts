// The priority section through real HTTP: the launched mock, offered twice its capacity, with about 20% of
// the requests carrying `x-priority: high`. High-priority traffic keeps succeeding; normal traffic gets
// what capacity is left and is shed (429) or times out (504) for the rest.
import { Pool } from 'undici';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { state } from './support/clients.js';
import { launch } from './support/mock-process.js';

interface Sent {
  high: boolean;
  status?: number;
  error?: string;
  /** Virtual arrival time from the answer's body, incident ms. */
  arrivedAt?: number;
}

/** Seeded open-loop Poisson arrivals; each request is high priority with probability `highShare`. */
async function mixedOpenLoop(url: string, rate: number, count: number, highShare: number, seed: number): Promise<Sent[]> {
  const pool = new Pool(url, { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 });
  const gaps = new Random(seed, 'test.open-loop');
  const classes = new Random(seed, 'test.classes');
  const plan = Array.from({ length: count }, (_, i) => ({ gap: gaps.exponential(1000 / rate), high: classes.next() < highShare, i }));
  const pending: Promise<Sent>[] = [];
  const send = async (high: boolean, i: number): Promise<Sent> => {
    // Case and spaces do not matter; any other value (or none) is normal priority.
    const headers: Record<string, string> = high ? { 'x-priority': ' HIGH ' } : i % 2 === 0 ? { 'x-priority': 'low' } : {};
    try {
      const res = await pool.request({ path: `/task/${i}`, method: 'GET', headers, headersTimeout: 0, bodyTimeout: 0 });
      const body = (await res.body.json()) as { arrivedAt: number };
      return { high, status: res.statusCode, arrivedAt: body.arrivedAt };
    } catch (err) {
      return { high, error: (err as Error).message };
    }
  };
  const start = performance.now();
  let due = start;
  for (const { gap, high, i } of plan) {
    due += gap;
    const wait = due - performance.now();
    if (wait > 2) await new Promise((resolve) => setTimeout(resolve, Math.floor(wait - 1)));
    else if (wait > 0) await new Promise((resolve) => setImmediate(resolve));
    pending.push(send(high, i));
  }
  const sent = await Promise.all(pending);
  await pool.close();
  return sent;
}

const ok = (xs: Sent[]) => xs.filter((s) => s.status === 200).length / xs.length;

describe('priority through HTTP', () => {
  it('at twice the capacity, high-priority requests keep succeeding while normal ones get the capacity left', async () => {
    // 8 workers x constant 1 s = 8 requests per incident second. Offered 16/s, 20% high: 3.2/s high, 12.8/s
    // normal. Deadline-aware admission with a 4 s timeout sheds what would wait longer. Speed 30: 1 200
    // arrivals are 75 incident seconds, 2.5 wall seconds.
    const c = 8;
    const speed = 30;
    const mock = await launch(
      {
        priority: { header: 'x-priority', reserved: 0 },
        admission: { deadlineAware: true },
        queue: { timeout: '4s' },
        fleet: { workers: c, serviceTime: '1s' },
      },
      { speed, seed: 11 },
    );
    const sent = await mixedOpenLoop(mock.url, 16 * speed, 1200, 0.2, 11);
    expect(sent.filter((s) => s.error !== undefined)).toEqual([]);
    const high = sent.filter((s) => s.high);
    const normal = sent.filter((s) => !s.high);
    expect(sent.filter((s) => ![200, 429, 504].includes(s.status!))).toEqual([]);

    // High priority: in the model at exactly these sizes, every high request succeeded on each of 60 seeds.
    // Failing one needs 32 high requests queued at once ((32 + 1) / 8 s > the 4 s timeout), i.e. a stall of
    // the client of about 10 incident seconds (a third of a wall second); 0.98 leaves room for ~5 of the
    // ~240 high requests to meet such a stall on a busy machine, and is far from the 0.5 that everyone would
    // get without the priority section.
    expect(ok(high)).toBeGreaterThanOrEqual(0.98);

    // Normal priority gets the capacity the high traffic leaves: (c - λ_high·S) / (λ_normal·S), about
    // (8 - 3.2) / 12.8 = 0.375. Judged on the arrivals the mock saw between 10 s after the first and 10 s
    // before the last (the queue fills in the first seconds and drains after the end), with the rates
    // measured in that window, so that a client stall that thins the arrivals moves the expectation with
    // them. Over 60 seeds of the model at these sizes, success minus that expectation had mean 0.002 and sd
    // 0.0068; 0.05 is 7 sd, leaving room for a stalled client to idle the workers for about three incident
    // seconds (each costs 8 of the ~700 normal requests in the window, 0.011). Whether the offered mix
    // arrives as 0.375 says depends on the host here (a stall changes the rates the mock sees: 0.10029 off
    // once, on a busy machine); that, and this share against theory to 0.01 over 40 times the requests, is
    // theory-virtual.test.ts's, in virtual time.
    const first = Math.min(...sent.map((s) => s.arrivedAt!));
    const last = Math.max(...sent.map((s) => s.arrivedAt!));
    const inWindow = (s: Sent) => s.arrivedAt! >= first + 10_000 && s.arrivedAt! <= last - 10_000;
    const seconds = (last - first - 20_000) / 1000;
    const highRate = high.filter(inWindow).length / seconds;
    const normalInWindow = normal.filter(inWindow);
    const expected = (c - highRate) / (normalInWindow.length / seconds);
    expect(Math.abs(ok(normalInWindow) - expected), `normal ${ok(normalInWindow).toFixed(3)} vs ${expected.toFixed(3)}`).toBeLessThan(0.05);
    expect(normal.some((s) => s.status === 429)).toBe(true); // shed, not only timed out

    const s = await state(mock);
    expect(s.priority).toEqual({ queuedHigh: 0, queuedNormal: 0, busyHigh: 0 });
    expect(s.counters.highArrived).toBe(high.length);
    expect(s.counters.highServed).toBe(high.filter((x) => x.status === 200).length);
  });
});
