import { describe, expect, it } from 'vitest';
import { inject, sleep, startOpenLoop, state, waitFor } from '../support/clients.js';
import { launch } from '../support/mock-process.js';

describe('fault: break-monitor', () => {
  it('under overload lets expired tasks eat the fleet: goodput goes to 0', async () => {
    // 4 workers x 1 s = 4/s of capacity, 8/s offered, queue timeout 5 s, clients give up after 8 s.
    // Monitor working: the queue holds about 5 s of arrivals, every served task waited < 5.5 s, its
    // client is still there: goodput = capacity. Monitor broken: nothing leaves the queue but by service.
    // FIFO at 4/s while 8/s arrive: the task served x s after the break waited 5 + x/2 s, so from x = 4 s on
    // (wait 7 s + 1 s of service) every client has given up before its answer.
    const speed = 20;
    const mock = await launch({ queue: { timeout: '5s', monitorInterval: '500ms' }, fleet: { workers: 4, serviceTime: '1s' } }, { speed });
    const traffic = startOpenLoop({ url: mock.url, rate: 8 * speed, seed: 4, timeoutMs: 8000 / speed, connections: 200 });
    await sleep(600); // 12 s: the queue is at its steady length
    const a = await state(mock);
    await sleep(500); // 10 s with a working monitor
    const b = await state(mock);
    const broken = await inject(mock, { fault: 'break-monitor' });
    const c = await waitFor(mock, (s) => s.t >= broken.at + 6000); // the pre-break backlog drains
    await sleep(500); // 10 s with the monitor broken
    const d = await state(mock);
    await traffic.stop();

    const goodput = (from: typeof a, to: typeof a) =>
      (to.counters.served - to.counters.wastedServed - (from.counters.served - from.counters.wastedServed)) / ((to.t - from.t) / 1000);
    const served = (from: typeof a, to: typeof a) => (to.counters.served - from.counters.served) / ((to.t - from.t) / 1000);
    // Working monitor: the fleet serves 4/s, nearly all for clients still waiting.
    expect(served(a, b)).toBeGreaterThan(3.6);
    expect(goodput(a, b)).toBeGreaterThan(3.4);
    expect(b.counters.timedOut - a.counters.timedOut).toBeGreaterThan(25);
    // Broken: the fleet is as busy as before, but for nobody.
    expect(served(c, d)).toBeGreaterThan(3.6);
    expect(goodput(c, d)).toBeLessThan(0.2);
    expect(d.counters.timedOut).toBe(c.counters.timedOut);
    expect(d.counters.expiredServed - c.counters.expiredServed).toBeGreaterThan(30);
    expect(d.queued).toBeGreaterThan(b.queued + 40);
    // What the clients saw: no 200 in the last window.
    const okLate = traffic.outcomes.filter((o) => o.status === 200 && o.body!.arrivedAt + o.body!.queueMs > c.t);
    expect(okLate).toHaveLength(0);
  });
});
