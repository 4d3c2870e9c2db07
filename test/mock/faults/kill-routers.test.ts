import { describe, expect, it } from 'vitest';
import { control, inject, state } from '../support/clients.js';
import { launch } from '../support/mock-process.js';
import { stateAt, virtualMock, virtualOpenLoop, withStatus } from '../support/virtual-traffic.js';

describe('fault: kill-routers', () => {
  it('fails router nodes now: their in-flight requests get 502, the rest carry on; for: brings them back (virtual time)', () => {
    const { service, faults } = virtualMock({ routers: { count: 4, restartAfter: '1h' }, fleet: { workers: 100, serviceTime: '2s' } }, 8);
    const traffic = virtualOpenLoop(service, { rate: 10, seed: 8 });
    const before = stateAt(service, 5_000);
    expect(before.routers.every((r) => r.inFlight >= 3)).toBe(true);
    const held = before.routers.map((r) => r.inFlight);

    const fault = faults.inject({ fault: 'kill-routers', count: 2, for: '10s' });
    const during = service.state();
    expect(during.routersReady).toBe(2);
    const killed = during.routers.filter((r) => !r.ready);
    expect(killed.map((r) => r.failedAt)).toEqual([fault.at, fault.at]);
    // Everything the two nodes had in flight was answered 502 at that instant, and nothing else was.
    expect(killed.map((r) => r.inFlight)).toEqual([0, 0]);
    const killedHeld = during.routers.reduce((sum, r, i) => sum + (r.ready ? 0 : held[i]!), 0);
    expect(withStatus(traffic.outcomes, 502)).toHaveLength(killedHeld);
    expect(withStatus(traffic.outcomes, 502).every((o) => o.doneAt === fault.at)).toBe(true);
    expect(during.counters.routerFailures).toBe(killedHeld);

    // New requests go to the two left; no 503 since some nodes are ready. `for: 10s` holds them down for
    // exactly 10 s (not the 1 h restartAfter), then they are back.
    const down = stateAt(service, fault.at + 9_999);
    expect(down.routersReady).toBe(2);
    expect(withStatus(traffic.outcomes, 503)).toHaveLength(0);
    expect(withStatus(traffic.outcomes, 502)).toHaveLength(killedHeld);
    const back = stateAt(service, fault.at + 10_000);
    expect(back.routersReady).toBe(4);
    expect(faults.list()[0]).toMatchObject({ reverted: fault.at + 10_000 });

    // count=all: nothing is ready, new requests get 503; reverting brings them back at once.
    const all = faults.inject({ fault: 'kill-routers', count: 'all' });
    expect(stateAt(service, all.at + 2_000).routersReady).toBe(0);
    const refused = withStatus(traffic.outcomes, 503);
    expect(refused.length).toBeGreaterThan(5);
    expect(refused.every((o) => o.arrivedAt >= all.at && o.doneAt === o.arrivedAt)).toBe(true);
    faults.revert(all.id);
    expect(service.state().routersReady).toBe(4);
    stateAt(service, all.at + 3_000);
    expect(withStatus(traffic.outcomes, 503)).toHaveLength(refused.length);
    traffic.stop();
  });

  it('is applied and reverted through the control API of a running mock', async () => {
    const mock = await launch({ routers: { count: 4, restartAfter: '1h' } });
    const fault = await inject(mock, { fault: 'kill-routers', count: 2 });
    expect((await state(mock)).routersReady).toBe(2);
    expect((await control(mock, 'DELETE', `/faults/${fault.id}`)).status).toBe(200);
    expect((await state(mock)).routersReady).toBe(4);
  });
});
