import { describe, expect, it } from 'vitest';
import { control, count, inject, sleep, startOpenLoop, state, until, waitFor } from '../support/clients.js';
import { launch } from '../support/mock-process.js';

describe('fault: kill-routers', () => {
  it('fails router nodes now: their in-flight requests get 502, the rest carry on; for: brings them back', async () => {
    const speed = 20;
    const mock = await launch({ routers: { count: 4, restartAfter: '1h' }, fleet: { workers: 100, serviceTime: '2s' } }, { speed, seed: 8 });
    const traffic = startOpenLoop({ url: mock.url, rate: 10 * speed, seed: 8 });
    await waitFor(mock, (s) => s.routers.every((r) => r.inFlight >= 3));

    const fault = await inject(mock, { fault: 'kill-routers', count: 2, for: '10s' });
    const during = await state(mock);
    expect(during.routersReady).toBe(2);
    const killed = during.routers.filter((r) => !r.ready);
    expect(killed.map((r) => r.failedAt)).toEqual([fault.at, fault.at]);
    // Everything the two nodes had in flight (at least 3 each) was answered 502 at once: they hold nothing
    // now. (Counting what they held from an earlier snapshot would race the traffic in between.)
    expect(killed.map((r) => r.inFlight)).toEqual([0, 0]);
    expect(during.counters.routerFailures).toBeGreaterThan(0);
    await until(() => count(traffic.outcomes, 502) >= during.counters.routerFailures);
    expect(count(traffic.outcomes, 502)).toBe(during.counters.routerFailures);
    // New requests go to the two left; no 503 since some nodes are ready.
    expect(count(traffic.outcomes, 503)).toBe(0);

    // `for: 10s` holds them down for exactly 10 s (not the 1 h restartAfter), then they are back.
    const back = await waitFor(mock, (s) => s.routersReady === 4);
    expect(back.faults[0]).toMatchObject({ reverted: fault.at + 10_000 });

    // count=all: nothing is ready, new requests get 503; reverting (DELETE) brings them back at once.
    const all = await inject(mock, { fault: 'kill-routers', count: 'all' });
    await sleep(100);
    expect((await state(mock)).routersReady).toBe(0);
    const outcomes503 = count(traffic.outcomes, 503);
    expect(outcomes503).toBeGreaterThan(0);
    expect((await control(mock, 'DELETE', `/faults/${all.id}`)).status).toBe(200);
    expect((await state(mock)).routersReady).toBe(4);
    await traffic.stop();
  });
});
