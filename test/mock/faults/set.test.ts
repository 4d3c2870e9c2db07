import { describe, expect, it } from 'vitest';
import { control, inject, startClosedLoop, throughput, waitFor } from '../support/clients.js';
import { launch } from '../support/mock-process.js';

describe('fault: set', () => {
  it('changes any setting by its path while traffic flows; reverting restores it', async () => {
    // Saturated by 64 closed-loop clients: at least 56 wait, 175 ms of wall time of work at speed 2.
    const mock = await launch({ fleet: { workers: 4, serviceTime: '100ms' } }, { speed: 2 });
    const traffic = startClosedLoop(mock.url, 64);
    try {
      await waitFor(mock, (s) => s.busy === 4 && s.queued > 10);
      // Constant 100 ms services on 4 workers finish in bursts of 4, so a window counts ±4 of the
      // expected number: over 3 s of incident time (120 tasks) that is ±3.3%; allow 8%.
      const before = await throughput(mock, traffic, 1500);
      expect(Math.abs(before.served / 40 - 1)).toBeLessThan(0.08);

      const fault = await inject(mock, { fault: 'set', 'fleet.workers': 8, 'fleet.serviceTime': '50ms', 'queue.order': 'lifo' });
      const s = await waitFor(mock, (st) => st.busy === 8);
      expect(s.config).toMatchObject({ fleet: { workers: 8, serviceTime: { dist: 'constant', mean: 50 } }, queue: { order: 'lifo' } });
      const after = await throughput(mock, traffic, 1500);
      expect(Math.abs(after.served / 160 - 1)).toBeLessThan(0.08); // 8 / 50 ms, bursts of 8 over 480 tasks

      expect((await control(mock, 'DELETE', `/faults/${fault.id}`)).status).toBe(200);
      const restored = await waitFor(mock, (st) => st.busy === 4);
      expect(restored.config).toMatchObject({ fleet: { workers: 4, serviceTime: { dist: 'constant', mean: 100 } }, queue: { order: 'fifo' } });
    } finally {
      await traffic.stop();
    }
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
