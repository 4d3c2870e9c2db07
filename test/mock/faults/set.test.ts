import { describe, expect, it } from 'vitest';
import { control, inject, state, waitFor } from '../support/clients.js';
import { launch } from '../support/mock-process.js';
import { stateAt, virtualClosedLoop, virtualMock, virtualThroughput } from '../support/virtual-traffic.js';

describe('fault: set', () => {
  it('changes any setting by its path while traffic flows; reverting restores it (virtual time)', () => {
    // Saturated by 64 closed-loop clients: at least 56 wait.
    const { service, faults } = virtualMock({ fleet: { workers: 4, serviceTime: '100ms' } });
    const traffic = virtualClosedLoop(service, 64);
    expect(stateAt(service, 1000)).toMatchObject({ busy: 4, queued: 60 });
    // Constant 100 ms services on 4 workers, in step: 40/s exactly over whole service times.
    expect(virtualThroughput(service, traffic, 1000, 4000).served).toBe(40);

    const fault = faults.inject({ fault: 'set', 'fleet.workers': 8, 'fleet.serviceTime': '50ms', 'queue.order': 'lifo' });
    const s = service.state();
    expect(s).toMatchObject({ busy: 8 });
    expect(s.config).toMatchObject({ fleet: { workers: 8, serviceTime: { dist: 'constant', mean: 50 } }, queue: { order: 'lifo' } });
    // The four in service finish their 100 ms; from 4100 on, 8 / 50 ms.
    expect(virtualThroughput(service, traffic, 4100, 7100).served).toBe(160);
    // LIFO: the newest waiting request is served first: the latest arrivals wait one service time while
    // the oldest starve: requests queued before the change are still waiting 3 s later, where FIFO had
    // served each within 1.5 s (60 waiting for 4 x 100 ms).
    const waits = traffic.outcomes.filter((o) => o.arrivedAt >= 4100 && o.doneAt <= 7100).map((o) => o.reply!.queueMs!);
    expect(Math.max(...waits)).toBeLessThanOrEqual(50);
    expect(traffic.outcomes.filter((o) => o.arrivedAt < fault.at && o.status === undefined).length).toBeGreaterThan(40);

    faults.revert(fault.id);
    const restored = stateAt(service, 7200);
    expect(restored).toMatchObject({ busy: 4 });
    expect(restored.config).toMatchObject({ fleet: { workers: 4, serviceTime: { dist: 'constant', mean: 100 } }, queue: { order: 'fifo' } });
    traffic.stop();
  });

  it('is applied through the control API of a running mock', async () => {
    const mock = await launch({ fleet: { workers: 4 } });
    await inject(mock, { fault: 'set', 'fleet.workers': 8, 'queue.order': 'lifo' });
    expect((await state(mock)).config).toMatchObject({ fleet: { workers: 8 }, queue: { order: 'lifo' } });
  });

  it('refuses a bad path or value with 400 and changes nothing', async () => {
    const mock = await launch({});
    for (const body of [
      { fault: 'set' },
      { fault: 'set', 'fleet.workerz': 3 },
      { fault: 'set', 'queue.timeout': 60 },
      { fault: 'set', 'errors.status': 503 },
    ]) {
      const res = await control<{ error: string }>(mock, 'POST', '/faults', body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/^set: /);
    }
    const s = await waitFor(mock, () => true);
    expect(s.faults).toEqual([]);
    expect(s.config).toEqual({ queue: expect.any(Object), fleet: { workers: 4, serviceTime: { dist: 'exp', mean: 100 } } });
  });
});
