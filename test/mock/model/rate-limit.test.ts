import { describe, expect, it } from 'vitest';
import { model } from '../support/model.js';

describe('rateLimit: the edge token bucket', () => {
  it('lets a burst through, then the rate; the rest get 429 with Retry-After in incident seconds', () => {
    const { service, rec } = model({ rateLimit: { rate: '10/s', burst: 5 }, fleet: { workers: 100, serviceTime: '10ms' } });
    for (let i = 0; i < 20; i++) rec.arriveAt(0);
    expect(rec.count(429)).toBe(15);
    expect(rec.byStatus(429)[0]!.retryAfter).toBe(1); // next token in 100 ms: rounded up to 1 s
    // One second would bring 10 tokens, but the bucket holds 5: 5 of the next 12 pass.
    for (let i = 0; i < 12; i++) rec.arriveAt(1000);
    expect(rec.count(429)).toBe(22);
    service.advance(2000);
    expect(rec.count(200)).toBe(10);
    expect(service.state().counters.rateLimited).toBe(22);
  });

  it('admits exactly the rate over a long run of evenly spaced arrivals above it', () => {
    const { service, rec } = model({ rateLimit: { rate: '50/s', burst: 1 }, fleet: { workers: 1000, serviceTime: '1ms' } });
    rec.uniform(2000, 100); // 100/s for 20 s against 50/s
    service.advance(30_000);
    expect(rec.count(200)).toBe(1000);
  });

  it('gives a Retry-After long enough for a token at a slow rate', () => {
    const { rec } = model({ rateLimit: { rate: '6/m', burst: 1 } });
    rec.arriveAt(0);
    rec.arriveAt(1);
    expect(rec.byStatus(429)[0]!.retryAfter).toBe(10);
  });
});
