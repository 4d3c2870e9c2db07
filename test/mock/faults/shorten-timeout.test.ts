import { describe, expect, it } from 'vitest';
import { inject, state } from '../support/clients.js';
import { launch } from '../support/mock-process.js';
import { stateAt, virtualMock, virtualOpenLoop, withStatus } from '../support/virtual-traffic.js';

describe('fault: shorten-timeout', () => {
  it('turns long waits into 504s (virtual time: each sweep at its exact instant)', () => {
    // 2 workers x 1 s against 3/s: the queue grows by 1/s and waits grow without bound; no timeout at first.
    const { service, faults } = virtualMock({ queue: { monitorInterval: '500ms' }, fleet: { workers: 2, serviceTime: '1s' } }, 2);
    const traffic = virtualOpenLoop(service, { rate: 3, seed: 2 });
    service.advance(20_000); // waits of ~10 s build up, nobody times out
    expect(withStatus(traffic.outcomes, 504)).toHaveLength(0);
    const fault = faults.inject({ fault: 'shorten-timeout', timeout: '3s' });
    expect(fault.at).toBe(20_000);
    const s = stateAt(service, 40_000);
    traffic.stop();
    const outcomes = traffic.outcomes;

    const timedOut = withStatus(outcomes, 504);
    expect(timedOut.length).toBeGreaterThan(10);
    expect(s.counters.timedOut).toBe(timedOut.length);
    const queueMs = (o: (typeof outcomes)[number]): number => o.reply!.queueMs!;
    // Every 504 waited at least the new timeout. The first sweep cut the backlog (waits up to ~10 s); after
    // it, nothing waits more than the timeout plus one monitor interval.
    expect(timedOut.every((o) => queueMs(o) >= 3000)).toBe(true);
    expect(Math.max(...timedOut.map(queueMs))).toBeGreaterThan(5000);
    // The monitor sweeps every 500 ms: the first sweep under the new timeout within one interval of it.
    const firstSweep = Math.min(...timedOut.map((o) => o.doneAt));
    expect(firstSweep - fault.at).toBeGreaterThanOrEqual(0);
    expect(firstSweep - fault.at).toBeLessThanOrEqual(500);
    expect(timedOut.every((o) => o.doneAt === o.arrivedAt + queueMs(o))).toBe(true);
    const laterSweeps = timedOut.filter((o) => o.doneAt > firstSweep);
    expect(laterSweeps.length).toBeGreaterThan(5);
    expect(laterSweeps.every((o) => queueMs(o) <= 3500)).toBe(true);
    // Tasks that started after the first sweep under the new timeout had waited less than timeout + interval.
    const startedLater = withStatus(outcomes, 200).filter((o) => o.arrivedAt + queueMs(o) > firstSweep);
    expect(startedLater.length).toBeGreaterThan(5);
    expect(startedLater.every((o) => queueMs(o) <= 3500)).toBe(true);
    // Before the fault, waits had grown well past 3 s.
    expect(Math.max(...withStatus(outcomes, 200).map(queueMs))).toBeGreaterThan(5000);
  });

  it('is applied through the control API of a running mock', async () => {
    const mock = await launch({ queue: { timeout: '1m' } });
    await inject(mock, { fault: 'shorten-timeout', timeout: '3s' });
    expect((await state(mock)).config.queue).toMatchObject({ timeout: 3000 });
  });
});
