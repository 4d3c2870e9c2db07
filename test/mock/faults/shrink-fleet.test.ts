import { describe, expect, it } from 'vitest';
import { inject, startClosedLoop, throughput, waitFor } from '../support/clients.js';
import { launch } from '../support/mock-process.js';

describe('fault: shrink-fleet', () => {
  it('halves a saturated mock’s throughput, letting tasks in service finish first; for: reverts it', async () => {
    // 8 workers x 100 ms constant = 80/s; 64 closed-loop clients keep 56 waiting (350 ms of wall time of work
    // at speed 2), so the fleet never idles even if the client stalls for a while.
    const mock = await launch({ fleet: { workers: 8, serviceTime: '100ms' } }, { speed: 2 });
    const traffic = startClosedLoop(mock.url, 64);
    try {
      await waitFor(mock, (s) => s.busy === 8 && s.queued > 40);
      const before = await throughput(mock, traffic, 600);
      // Constant service and a saturated fleet: served per window is exact to one task per worker at the
      // edges, under 10 % here. What the client received in the same wall window also moves with the
      // client's own stalls at the window's edges (tens of ms on a busy machine), so it gets 30 %.
      expect(Math.abs(before.served / 80 - 1)).toBeLessThan(0.1);
      expect(Math.abs(before.received / 80 - 1)).toBeLessThan(0.3);

      const fault = await inject(mock, { fault: 'shrink-fleet', workers: 4, for: '4s' });
      const shrunk = await waitFor(mock, (s) => s.busy === 4);
      expect(shrunk).toMatchObject({ workers: 4, retiring: 0 });
      const after = await throughput(mock, traffic, 600);
      expect(Math.abs(after.served / 40 - 1)).toBeLessThan(0.1);
      expect(Math.abs(after.served / before.served - 0.5)).toBeLessThan(0.05);
      expect(Math.abs(after.received / 40 - 1)).toBeLessThan(0.3);

      // `for: 4s` (2 s of wall time at speed 2) gives the workers back, exactly 4 s of incident time later.
      const restored = await waitFor(mock, (s) => s.workers === 8 && s.busy === 8);
      expect(restored.faults[0]).toMatchObject({ fault: 'shrink-fleet', params: { workers: 4 }, until: fault.at + 4000, reverted: fault.at + 4000 });
    } finally {
      await traffic.stop();
    }
    // The workers removed finished what they were doing: no request failed.
    expect(traffic.outcomes.every((o) => o.status === 200)).toBe(true);
  });
});
