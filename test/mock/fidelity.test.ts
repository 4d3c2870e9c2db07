// The launched mock process against queueing theory, through real HTTP: a seeded open-loop Poisson client
// (support/clients.ts) sends to the child process started by startMock; `speed` fits minutes of incident
// time into a few wall seconds. Every answer carries its virtual arrival time and, from server-timing and
// the body, its queue and service time, which is what these checks read.
//
// What HTTP can and cannot show. The client sends on a Poisson schedule, but on a busy machine (two test
// files at once on two cores, or other work) both processes are sometimes descheduled for 10-100 ms, so
// the arrivals the mock sees can be burstier than Poisson. Bursty arrivals wait more in any queue, and that
// is the machine, not the mock. So each test checks what holds whatever the host did:
//   1. exactly, task by task: the mock is the textbook queue (FIFO with c servers, or a loss system) on the
//      arrivals and service times it saw;
//   2. the service times it drew are exponential with the configured mean (Kolmogorov-Smirnov);
//   3. its waiting probability / blocked share / mean response are what an M/M/c queue gives for exactly
//      those arrivals: within 4 sd of a Monte Carlo over 400 fresh exponential service sequences.
// The direct checks against Erlang C and Erlang B, which held only when the host let the arrivals stay
// Poisson, are made in virtual time through the whole product path, with 100 times the requests and
// no host in the way: theory-virtual.test.ts. The model alone meets the same formulas over 1 000 000
// tasks in model/queueing-theory.test.ts.
// So this file's part is that the launched process, over HTTP, is that model: checks 1 hold exactly at any
// count, and 2 and 3 scale their bounds with it (KS at 1.63 / sqrt(n), Monte Carlo within 4 of its own
// sd). The M/M/16 and overload tests send 1 200 tasks (half of what they once sent, in half the wall
// time): KS at the 1 % level is then 0.047, which still fails service times whose mean is 20% off (0.079,
// tried), and the Monte Carlo sd is a few points. The loss system keeps 1 600 arrivals: only the ~1 220
// served have service times to test.
import { describe, expect, it } from 'vitest';
import { count, mean, openLoop, type Outcome } from './support/clients.js';
import { launch } from './support/mock-process.js';
import { fifoWaits, ksExponential, lossBlocked, monteCarlo } from './support/queues.js';

interface Seen {
  arrivals: number[];
  outcomes: Outcome[];
  /** Arrivals per incident second, as seen. */
  rate: number;
}

/** The outcomes in the order the mock saw them arrive. */
function seen(outcomes: Outcome[]): Seen {
  const sorted = [...outcomes].sort((a, b) => a.body!.arrivedAt - b.body!.arrivedAt || a.body!.task - b.body!.task);
  const arrivals = sorted.map((o) => o.body!.arrivedAt);
  return { arrivals, outcomes: sorted, rate: ((arrivals.length - 1) * 1000) / (arrivals.at(-1)! - arrivals[0]!) };
}

describe('fidelity: the launched mock through HTTP against queueing theory', () => {
  it('M/M/16 at a = 12 Erlangs: a FIFO queue task by task, waiting as M/M/16 does on the arrivals it saw', async () => {
    const c = 16;
    const a = 12; // 12 arrivals per incident second x exp:1s
    const speed = 40; // 1 s of service is 25 ms of wall time; 1 200 arrivals take 2.5 wall seconds
    const n = 1200;
    const mock = await launch({ fleet: { workers: c, serviceTime: 'exp:1s' } }, { speed, seed: 3 });
    const s = seen(await openLoop({ url: mock.url, rate: a * speed, count: n, seed: 3, connections: 200 }));
    expect(count(s.outcomes, 200)).toBe(n);
    const waits = s.outcomes.map((o) => o.body!.queueMs);
    const services = s.outcomes.map((o) => o.body!.serviceMs);

    // 1. Exactly a FIFO queue with 16 servers on what it saw.
    const replay = fifoWaits(s.arrivals, services, c);
    expect(Math.max(...replay.map((w, i) => Math.abs(w - waits[i]!)))).toBeLessThan(1e-6);
    // 2. Exponential service with mean 1 s: KS distance under 1.63 / sqrt(1 200) = 0.047 (the 1 % level).
    expect(ksExponential(services, 1000)).toBeLessThan(1.63 / Math.sqrt(n));
    // The rate the mock saw is the client's, which a busy host stretches (10.5 % slow once with two `yes`
    // beside the suite): checks 1 and 3 hold on whatever arrived, so it is not asserted, only that the
    // queue was really exercised (Erlang C(16, 12) is 0.21; at 0.05 nothing much would have been compared).

    // 3. What an M/M/16 queue does with these arrivals.
    const pWait = waits.filter((w) => w > 0).length / waits.length;
    expect(pWait, `the mock saw ${s.rate.toFixed(1)} arrivals/s`).toBeGreaterThan(0.05);
    const response = mean(waits) + mean(services);
    const mcWait = monteCarlo(400, 3, s.arrivals, 1000, (sv) => fifoWaits(s.arrivals, sv, c).filter((w) => w > 0).length / sv.length);
    const mcResponse = monteCarlo(400, 4, s.arrivals, 1000, (sv) => mean(fifoWaits(s.arrivals, sv, c)) + mean(sv));
    const context = `P(wait) ${pWait.toFixed(3)} vs ${mcWait.mean.toFixed(3)} ± ${mcWait.sd.toFixed(3)}, W ${response.toFixed(0)} vs ${mcResponse.mean.toFixed(0)} ± ${mcResponse.sd.toFixed(0)} ms`;
    expect(Math.abs(pWait - mcWait.mean), context).toBeLessThan(4 * mcWait.sd);
    expect(Math.abs(response - mcResponse.mean), context).toBeLessThan(4 * mcResponse.sd);
    // 4. Erlang C(16, 12) itself, for Poisson arrivals: theory-virtual.test.ts.
  });

  it('a loss system (admission.queueLimit 0) with 8 servers at 8 Erlangs: task by task, refusing as M/M/8/8 does on the arrivals it saw', async () => {
    const c = 8;
    const speed = 50;
    const mock = await launch({ admission: { queueLimit: 0 }, fleet: { workers: c, serviceTime: 'exp:1s' } }, { speed, seed: 5 });
    const n = 1600; // (not halved: fewer served would let the KS check below miss a mean 20% off)
    const s = seen(await openLoop({ url: mock.url, rate: 8 * speed, count: n, seed: 5, connections: 100 }));
    const blocked = s.outcomes.map((o) => o.status === 429);
    expect(count(s.outcomes, 429) + count(s.outcomes, 200)).toBe(n);
    expect(s.outcomes.filter((o) => o.status === 200).every((o) => o.body!.queueMs === 0)).toBe(true);

    // 1. Exactly a loss system with 8 servers on what it saw (served tasks' service times from their answers).
    const services = s.outcomes.map((o) => o.body!.serviceMs ?? 0);
    expect(lossBlocked(s.arrivals, services, c)).toEqual(blocked);
    // 2. Exponential service (KS at the 1 % level for the ~1 220 served).
    const served = s.outcomes.filter((o) => o.status === 200).map((o) => o.body!.serviceMs);
    expect(ksExponential(served, 1000)).toBeLessThan(1.63 / Math.sqrt(served.length));

    // 3. The blocked share an M/M/8/8 system shows for these arrivals.
    const share = blocked.filter(Boolean).length / blocked.length;
    const mc = monteCarlo(400, 5, s.arrivals, 1000, (sv) => lossBlocked(s.arrivals, sv, c).filter(Boolean).length / sv.length);
    const context = `blocked ${share.toFixed(3)} vs ${mc.mean.toFixed(3)} ± ${mc.sd.toFixed(3)}`;
    expect(Math.abs(share - mc.mean), context).toBeLessThan(4 * mc.sd);
    // 4. Erlang B(8, 8) itself, for Poisson arrivals: theory-virtual.test.ts.
  });

  it('in overload with a queue timeout, the share served approaches capacity / offered', async () => {
    // 8 workers x 1 s (constant) = 8/s of capacity; 16/s offered for about 75 incident seconds; timeout
    // 5 s. The fleet is busy from the first arrival until the queue drains, at most 5 s after the last, so
    // the share served is 8 x (span + 5 s) / 1 200 = 0.533 for a 75 s span, tending to capacity / offered =
    // 0.5 as the run gets longer. The span is measured as the mock saw it: a stalled client stretches it.
    // With constant service the served count is exact to a task per worker; a client stall long enough
    // to empty the queue (over 5 s of incident time) would lower it. Tolerance 0.04.
    const speed = 40;
    const mock = await launch({ queue: { timeout: '5s', monitorInterval: '250ms' }, fleet: { workers: 8, serviceTime: '1s' } }, { speed, seed: 7 });
    const n = 1200;
    const outcomes = await openLoop({ url: mock.url, rate: 16 * speed, count: n, seed: 7, connections: 300 });
    const ok = count(outcomes, 200);
    expect(ok + count(outcomes, 504)).toBe(n);
    const arrivals = outcomes.map((o) => o.body!.arrivedAt);
    const span = (Math.max(...arrivals) - Math.min(...arrivals)) / 1000;
    expect(Math.abs(ok / n - (8 * (span + 5)) / n), `span ${span.toFixed(1)} s`).toBeLessThan(0.04);
    expect(ok / n).toBeLessThan(0.6);
    // No task waited longer than the timeout plus one monitor interval.
    expect(Math.max(...outcomes.map((o) => o.queueMs ?? 0))).toBeLessThan(5000 + 250 + 0.001);
  });
});
