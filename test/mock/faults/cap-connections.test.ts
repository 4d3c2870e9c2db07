import { describe, expect, it } from 'vitest';
import { inject, startClosedLoop, throughput, waitFor } from '../support/clients.js';
import { launch } from '../support/mock-process.js';

describe('fault: cap-connections', () => {
  it('caps the servers that can work at the database connection limit', async () => {
    // 8 workers x 100 ms = 80/s, saturated by 48 closed-loop clients (40 waiting: 250 ms of wall time of
    // work at speed 2, so a stalled client never lets the fleet idle); then only 3 database connections.
    const mock = await launch({ fleet: { workers: 8, serviceTime: '100ms' } }, { speed: 2 });
    const traffic = startClosedLoop(mock.url, 48);
    try {
      await waitFor(mock, (s) => s.busy === 8 && s.queued > 20);
      const before = await throughput(mock, traffic, 500);
      // Constant service, saturated: the count per window is exact to about a task per worker at each edge.
      expect(Math.abs(before.served / 80 - 1)).toBeLessThan(0.1);
      await inject(mock, { fault: 'cap-connections', connections: 3 });
      const capped = await waitFor(mock, (s) => s.busy === 3);
      expect(capped).toMatchObject({ workers: 8, db: { capacity: 3, inUse: 3 } });
      expect(capped.config.db).toMatchObject({ maxConnections: 3, pooling: false });
      const after = await throughput(mock, traffic, 500);
      // 3 of 8 servers: 30/s, 37.5 % of the throughput.
      expect(Math.abs(after.served / 30 - 1)).toBeLessThan(0.1);
      const later = await waitFor(mock, () => true);
      expect(later.busy).toBe(3);
    } finally {
      await traffic.stop();
    }
  });
});
