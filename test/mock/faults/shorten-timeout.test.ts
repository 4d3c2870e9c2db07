import { describe, expect, it } from 'vitest';
import { count, inject, sleep, startOpenLoop, state } from '../support/clients.js';
import { launch } from '../support/mock-process.js';

describe('fault: shorten-timeout', () => {
  it('turns long waits into 504s', async () => {
    // 2 workers x 1 s against 3/s: the queue grows by 1/s and waits grow without bound; no timeout at first.
    const speed = 20;
    const mock = await launch({ queue: { monitorInterval: '500ms' }, fleet: { workers: 2, serviceTime: '1s' } }, { speed });
    const traffic = startOpenLoop({ url: mock.url, rate: 3 * speed, seed: 2 });
    await sleep(1000); // 20 s of incident time: waits of ~10 s build up, nobody times out
    expect(count(traffic.outcomes, 504)).toBe(0);
    const fault = await inject(mock, { fault: 'shorten-timeout', timeout: '3s' });
    await sleep(1000);
    const outcomes = await traffic.stop();
    const s = await state(mock);

    const timedOut = outcomes.filter((o) => o.status === 504);
    expect(timedOut.length).toBeGreaterThan(10);
    expect(s.counters.timedOut).toBe(timedOut.length);
    // Every 504 waited at least the new timeout. The first sweep cut the backlog (waits up to ~10 s); after
    // it, nothing waits more than the timeout plus one monitor interval.
    expect(timedOut.every((o) => o.queueMs! >= 3000)).toBe(true);
    expect(Math.max(...timedOut.map((o) => o.queueMs!))).toBeGreaterThan(5000);
    // When the sweep answered it (server-timing rounds to µs, so compare with 1 ms of slack).
    const answeredAt = (o: (typeof outcomes)[number]) => o.body!.arrivedAt + o.queueMs!;
    const firstSweep = Math.min(...timedOut.map(answeredAt));
    expect(firstSweep - fault.at).toBeLessThanOrEqual(500);
    const laterSweeps = timedOut.filter((o) => answeredAt(o) > firstSweep + 1);
    expect(laterSweeps.length).toBeGreaterThan(5);
    expect(laterSweeps.every((o) => o.queueMs! <= 3500 + 0.001)).toBe(true);
    // Tasks that started after the first sweep under the new timeout had waited less than timeout + interval.
    const startedLater = outcomes.filter((o) => o.status === 200 && answeredAt(o) > firstSweep + 1);
    expect(startedLater.length).toBeGreaterThan(5);
    expect(startedLater.every((o) => o.body!.queueMs <= 3500)).toBe(true);
    // Before the fault, waits had grown well past 3 s.
    expect(Math.max(...outcomes.filter((o) => o.status === 200).map((o) => o.body!.queueMs))).toBeGreaterThan(5000);
  });
});
