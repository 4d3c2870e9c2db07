import { describe, expect, it } from 'vitest';
import { inject, state } from '../support/clients.js';
import { launch } from '../support/mock-process.js';
import { stateAt, virtualClosedLoop, virtualMock, virtualThroughput } from '../support/virtual-traffic.js';

describe('fault: shrink-fleet', () => {
  it('halves a saturated mock’s throughput, letting tasks in service finish first; for: reverts it (virtual time)', () => {
    // 8 workers x 100 ms constant = 80/s, saturated by 64 closed-loop clients (56 always waiting).
    const { service, faults } = virtualMock({ fleet: { workers: 8, serviceTime: '100ms' } });
    const traffic = virtualClosedLoop(service, 64);
    expect(stateAt(service, 1000)).toMatchObject({ busy: 8, queued: 56 });
    // Constant service, all eight in step: a window of whole service times counts exactly.
    expect(virtualThroughput(service, traffic, 1000, 2200)).toEqual({ served: 80, received: 80 });

    // Mid-service (2250): the four removed finish what they hold first (retiring), then the fleet is four.
    service.advance(2250);
    const fault = faults.inject({ fault: 'shrink-fleet', workers: 4, for: '4s' });
    expect(service.state()).toMatchObject({ workers: 4, busy: 8, retiring: 4 });
    expect(stateAt(service, 2300)).toMatchObject({ workers: 4, busy: 4, retiring: 0 });
    const after = virtualThroughput(service, traffic, 2300, 5300);
    expect(after).toEqual({ served: 40, received: 40 });

    // `for: 4s` gives the workers back exactly 4 s of incident time later.
    expect(stateAt(service, fault.at + 3999).workers).toBe(4);
    const restored = stateAt(service, fault.at + 4000);
    expect(restored).toMatchObject({ workers: 8, busy: 8 });
    expect(faults.list()[0]).toMatchObject({ fault: 'shrink-fleet', params: { workers: 4 }, until: fault.at + 4000, reverted: fault.at + 4000 });
    traffic.stop();
    // The workers removed finished what they were doing: no request failed.
    expect(traffic.outcomes.every((o) => o.status === 200 || o.status === undefined)).toBe(true);
  });

  it('is applied through the control API of a running mock', async () => {
    const mock = await launch({ fleet: { workers: 8 } });
    await inject(mock, { fault: 'shrink-fleet', workers: 4 });
    expect(await state(mock)).toMatchObject({ workers: 4 });
  });
});
