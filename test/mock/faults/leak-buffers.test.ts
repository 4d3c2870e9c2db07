import { describe, expect, it } from 'vitest';
import { count, inject, sleep, startOpenLoop, state, waitFor } from '../support/clients.js';
import { launch } from '../support/mock-process.js';

describe('fault: leak-buffers', () => {
  it('makes router nodes fail readiness one after another', async () => {
    // 4 nodes at 5 req/s each x 200 KB = 1 MB/s of garbage against a 2 MB/s collector: steady. Leaking x10
    // makes it 10 MB/s: +8 MB/s per node towards the limit 100 MB above base; each loss loads the rest more.
    const speed = 20;
    const mock = await launch(
      {
        routers: { count: 4, bytesPerRequest: '200KB', gcRate: '2MB/s', baseMemory: '900MB', memoryLimit: '1GB', restartAfter: '10m' },
        fleet: { workers: 64, serviceTime: 'exp:200ms' },
      },
      { speed, seed: 6 },
    );
    const traffic = startOpenLoop({ url: mock.url, rate: 20 * speed, seed: 6 });
    await sleep(500); // 10 s without a leak
    const steady = await state(mock);
    expect(steady.routersReady).toBe(4);
    expect(count(traffic.outcomes, 502)).toBe(0);

    const fault = await inject(mock, { fault: 'leak-buffers', factor: 10 });
    expect((await state(mock)).config).toMatchObject({ routers: { bytesPerRequest: 2_000_000 } });
    const down = await waitFor(mock, (s) => s.routersReady === 0, 8000);
    await sleep(100);
    const outcomes = await traffic.stop();

    // One after another: four distinct failure times, all after the leak began.
    const failedAt = down.routers.map((r) => r.failedAt!).sort((x, y) => x - y);
    expect(failedAt.every((t) => t > fault.at)).toBe(true);
    expect(new Set(failedAt).size).toBe(4);
    // The first needed ~100 MB / 8 MB/s of leaking; each next one came sooner than the one before it.
    expect(failedAt[0]! - fault.at).toBeGreaterThan(5000);
    expect(failedAt[3]! - failedAt[2]!).toBeLessThan(failedAt[1]! - failedAt[0]!);
    // Clients saw 502s (requests in flight on failing nodes) and then 503s (no ready node).
    expect(count(outcomes, 502)).toBeGreaterThan(4);
    expect(count(outcomes, 503)).toBeGreaterThan(0);
    expect(down.counters.nodeFailures).toBe(4);
  });
});
