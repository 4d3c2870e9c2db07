import { describe, expect, it } from 'vitest';
import type { ServiceState } from '../../../src/mock/model/simulated-service.js';
import { stateAt, virtualMock, virtualOpenLoop, withStatus } from '../support/virtual-traffic.js';

describe('fault: break-monitor', () => {
  it('under overload lets expired tasks eat the fleet: goodput goes to 0 (virtual time, exact)', () => {
    // 4 workers x 1 s = 4/s of capacity, 8/s offered, queue timeout 5 s, clients give up after 8 s.
    // Monitor working: the queue holds about 5 s of arrivals, every served task waited < 5.5 s, its
    // client is still there: goodput = capacity. Monitor broken: nothing leaves the queue but by service.
    // FIFO at 4/s while 8/s arrive: the task served x s after the break waited 5 + x/2 s, so from x = 4 s on
    // (wait 7 s + 1 s of service) every client has given up before its answer. In virtual time each sample
    // is taken at its exact instant, which no busy machine moves (over HTTP at speed 20 a late sample let
    // one early answer into the last window).
    const { service, faults } = virtualMock({ queue: { timeout: '5s', monitorInterval: '500ms' }, fleet: { workers: 4, serviceTime: '1s' } }, 4);
    const traffic = virtualOpenLoop(service, { rate: 8, seed: 4, timeoutMs: 8000 });
    const at = (t: number): ServiceState => stateAt(service, t);
    const a = at(12_000); // the queue is at its steady length
    const b = at(22_000); // 10 s with a working monitor
    const broken = faults.inject({ fault: 'break-monitor' });
    expect(broken.at).toBe(22_000);
    const c = at(28_000); // the pre-break backlog drains
    const d = at(38_000); // 10 s with the monitor broken
    traffic.stop();

    const goodput = (from: ServiceState, to: ServiceState) =>
      (to.counters.served - to.counters.wastedServed - (from.counters.served - from.counters.wastedServed)) / ((to.t - from.t) / 1000);
    const served = (from: ServiceState, to: ServiceState) => (to.counters.served - from.counters.served) / ((to.t - from.t) / 1000);
    // Working monitor: the fleet serves 4/s, nearly all for clients still waiting.
    expect(served(a, b)).toBeGreaterThan(3.6);
    expect(goodput(a, b)).toBeGreaterThan(3.4);
    expect(b.counters.timedOut - a.counters.timedOut).toBeGreaterThan(25);
    // Broken: the fleet is as busy as before, but for nobody.
    expect(served(c, d)).toBeGreaterThan(3.6);
    expect(goodput(c, d)).toBe(0);
    expect(d.counters.timedOut).toBe(c.counters.timedOut);
    expect(d.counters.expiredServed - c.counters.expiredServed).toBeGreaterThan(30);
    expect(d.queued).toBeGreaterThan(b.queued + 40);
    // What the clients saw: no 200 answered after c, and the clients since then all gave up.
    const okLate = withStatus(traffic.outcomes, 200).filter((o) => o.doneAt > c.t);
    expect(okLate).toHaveLength(0);
    expect(withStatus(traffic.outcomes, 200).filter((o) => o.doneAt > b.t).length).toBeGreaterThan(0);
    expect(traffic.outcomes.filter((o) => o.doneAt > c.t && o.doneAt <= d.t).every((o) => o.error === 'timeout')).toBe(true);
  });
});
