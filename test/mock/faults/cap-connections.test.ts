import { describe, expect, it } from 'vitest';
import { inject, state } from '../support/clients.js';
import { launch } from '../support/mock-process.js';
import { stateAt, virtualClosedLoop, virtualMock, virtualThroughput } from '../support/virtual-traffic.js';

describe('fault: cap-connections', () => {
  it('caps the servers that can work at the database connection limit (virtual time)', () => {
    // 8 workers x 100 ms = 80/s, saturated by 48 closed-loop clients; then only 3 database connections.
    const { service, faults } = virtualMock({ fleet: { workers: 8, serviceTime: '100ms' } });
    const traffic = virtualClosedLoop(service, 48);
    expect(stateAt(service, 1000)).toMatchObject({ busy: 8, queued: 40 });
    expect(virtualThroughput(service, traffic, 1000, 2000).served).toBe(80);
    faults.inject({ fault: 'cap-connections', connections: 3 });
    // The tasks in service finish; from then on three work at once.
    const capped = stateAt(service, 2100);
    expect(capped).toMatchObject({ workers: 8, busy: 3, db: { capacity: 3, inUse: 3 } });
    expect(capped.config.db).toMatchObject({ maxConnections: 3, pooling: false });
    // 3 of 8 servers: 30/s, 37.5 % of the throughput.
    expect(virtualThroughput(service, traffic, 2100, 4100).served).toBe(30);
    expect(stateAt(service, 10_000).busy).toBe(3);
    traffic.stop();
  });

  it('is applied through the control API of a running mock', async () => {
    const mock = await launch({ fleet: { workers: 8 } });
    await inject(mock, { fault: 'cap-connections', connections: 3 });
    expect((await state(mock)).config.db).toMatchObject({ maxConnections: 3, pooling: false });
  });
});
