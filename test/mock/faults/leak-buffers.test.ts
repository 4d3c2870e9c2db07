import { describe, expect, it } from 'vitest';
import { inject, state } from '../support/clients.js';
import { launch } from '../support/mock-process.js';
import { Recorder } from '../support/drive.js';
import { virtualMock } from '../support/virtual-traffic.js';

describe('fault: leak-buffers', () => {
  it('makes router nodes fail readiness one after another (the model in virtual time: exact and repeatable)', () => {
    // 4 nodes at 5 req/s each x 200 KB = 1 MB/s of garbage against a 2 MB/s collector: steady. Leaking x10
    // makes it 10 MB/s: +8 MB/s per node towards the limit 100 MB above base; each loss loads the rest more.
    // Driven with a manual clock (no sockets, no timers), so the intervals between failures are the model's
    // own and a busy machine cannot reorder them.
    const { service, faults: injector } = virtualMock(
      {
        routers: { count: 4, bytesPerRequest: '200KB', gcRate: '2MB/s', baseMemory: '900MB', memoryLimit: '1GB', restartAfter: '10m' },
        fleet: { workers: 64, serviceTime: 'exp:200ms' },
      },
      6,
    );
    const rec = new Recorder(service);
    rec.poisson(200, 20, 6); // 10 s without a leak
    expect(service.state().routersReady).toBe(4);
    expect(rec.count(502)).toBe(0);

    const fault = injector.inject({ fault: 'leak-buffers', factor: 10 });
    expect(service.config.routers?.bytesPerRequest).toBe(2_000_000);
    let t = service.now;
    while (service.state().routersReady! > 0 && t < fault.at + 120_000) t = rec.poisson(20, 20, 1000 + Math.round(t));
    const down = service.state();
    expect(down.routersReady).toBe(0);

    // One after another: four distinct failure times, all after the leak began.
    const failedAt = down.routers.map((r) => r.failedAt!).sort((x, y) => x - y);
    for (const at of failedAt) expect(at).toBeGreaterThan(fault.at);
    expect(new Set(failedAt).size).toBe(4);
    // The first needed ~100 MB / 8 MB/s ≈ 12 s of leaking; each next one came sooner than the one before it.
    expect(failedAt[0]! - fault.at).toBeGreaterThan(5000);
    expect(failedAt[3]! - failedAt[2]!).toBeLessThan(failedAt[1]! - failedAt[0]!);
    // Clients saw 502s (requests in flight on failing nodes) and then 503s (no ready node).
    expect(rec.count(502)).toBeGreaterThan(4);
    rec.poisson(20, 20, 99);
    expect(rec.count(503)).toBeGreaterThan(0);
    expect(down.counters.nodeFailures).toBe(4);
  });

  it('is applied through the control API of a running mock', async () => {
    const mock = await launch({ routers: { count: 2, bytesPerRequest: '200KB' } }, { speed: 1, seed: 6 });
    await inject(mock, { fault: 'leak-buffers', factor: 10 });
    expect((await state(mock)).config).toMatchObject({ routers: { bytesPerRequest: 2_000_000 } });
  });
});
