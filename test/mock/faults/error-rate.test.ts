import { describe, expect, it } from 'vitest';
import { count, inject, openLoop, state, waitFor } from '../support/clients.js';
import { launch } from '../support/mock-process.js';

describe('fault: error-rate', () => {
  it('answers the given share of requests with the given status; for: reverts it', async () => {
    const speed = 40;
    const mock = await launch({ fleet: { workers: 50, serviceTime: '100ms' } }, { speed, seed: 9 });
    // The 1 000 requests take half a second of wall time; the fault lasts 3 s of it, room for a slow start.
    const fault = await inject(mock, { fault: 'error-rate', rate: '30%', status: 503, for: '2m' });
    const outcomes = await openLoop({ url: mock.url, rate: 50 * speed, count: 1000, seed: 9 });
    // Binomial(1 000, 0.3): sd 14.5; tolerance 4 sd = 58.
    expect(Math.abs(count(outcomes, 503) - 300)).toBeLessThan(58);
    expect(count(outcomes, 503) + count(outcomes, 200)).toBe(1000);
    expect(outcomes.filter((o) => o.status === 503).every((o) => o.body!.error === 'injected-error' && o.serviceMs === undefined)).toBe(true);
    expect((await state(mock)).counters.injectedErrors).toBe(count(outcomes, 503));

    // After its 2 min of incident time (3 s of wall time at speed 40) it is gone.
    await waitFor(mock, (s) => s.faults[0]?.reverted === fault.at + 120_000);
    const after = await openLoop({ url: mock.url, rate: 50 * speed, count: 200, seed: 10 });
    expect(count(after, 200)).toBe(200);
  });
});
