import { describe, expect, it } from 'vitest';
import { model } from '../support/model.js';
import { mean } from '../support/drive.js';

describe('response stage: added latency and injected errors', () => {
  it('adds latency ± jitter after the service, without holding a worker', () => {
    const { service, rec } = model({ latency: { add: '200ms', jitter: '50ms' }, fleet: { workers: 1, serviceTime: '100ms' } });
    rec.uniform(1000, 5);
    service.advance(1e6);
    const ok = rec.byStatus(200);
    expect(ok).toHaveLength(1000);
    expect(ok.every((a) => a.delayMs! >= 150 && a.delayMs! <= 250 && a.at - a.arrivedAt === a.queueMs! + a.serviceMs! + a.delayMs!)).toBe(true);
    // Uniform on [150, 250]: sd 28.9 ms, sd of the mean of 1000 = 0.9 ms.
    expect(Math.abs(mean(ok.map((a) => a.delayMs!)) - 200)).toBeLessThan(4);
    // 5/s of 100 ms on one worker: utilisation 0.5, so the latency did not hold the worker (it would be 1.5).
    expect(ok.filter((a) => a.queueMs! > 0)).toHaveLength(0);
  });

  it('answers a share of requests with the error status before they reach the queue', () => {
    const { service, rec } = model({ errors: { rate: '25%', status: 503 }, fleet: { workers: 1000, serviceTime: '10ms' } });
    rec.uniform(10_000, 100);
    service.advance(1e6);
    // Binomial(10 000, 0.25): sd 43; allow 4 sd.
    expect(Math.abs(rec.count(503) - 2500)).toBeLessThan(175);
    expect(rec.count(503) + rec.count(200)).toBe(10_000);
    expect(service.state().counters.injectedErrors).toBe(rec.count(503));
    expect(service.state().counters.served).toBe(rec.count(200));
  });
});
