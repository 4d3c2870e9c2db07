import { describe, expect, it } from 'vitest';
import { inject, startClosedLoop, throughput, waitFor } from '../support/clients.js';
import { launch } from '../support/mock-process.js';

describe('fault: cap-connections', () => {
  it('caps the servers that can work at the database connection limit', async () => {
    // 8 workers x 100 ms, saturated by 48 closed-loop clients; then only 3 database connections.
    const mock = await launch({ fleet: { workers: 8, serviceTime: '100ms' } }, { speed: 5 });
    const traffic = startClosedLoop(mock.url, 48);
    try {
      await waitFor(mock.controlUrl, (s) => s.busy === 8 && s.queued > 20);
      const before = await throughput(mock.controlUrl, traffic, 500);
      await inject(mock.controlUrl, { fault: 'cap-connections', connections: 3 });
      const capped = await waitFor(mock.controlUrl, (s) => s.busy === 3);
      expect(capped).toMatchObject({ workers: 8, db: { capacity: 3, inUse: 3 } });
      expect(capped.config.db).toMatchObject({ maxConnections: 3, pooling: false });
      const after = await throughput(mock.controlUrl, traffic, 500);
      // 3 of 8 servers: 37.5 % of the throughput (constant service, saturated: exact to a task per worker).
      expect(Math.abs(after.served / before.served - 3 / 8)).toBeLessThan(0.05);
      const later = await waitFor(mock.controlUrl, () => true);
      expect(later.busy).toBe(3);
    } finally {
      await traffic.stop();
    }
  });
});
