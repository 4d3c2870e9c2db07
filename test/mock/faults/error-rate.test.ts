import { describe, expect, it } from 'vitest';
import { count, inject, openLoop } from '../support/clients.js';
import { launch } from '../support/mock-process.js';
import { stateAt, virtualMock, virtualOpenLoop, withStatus } from '../support/virtual-traffic.js';

describe('fault: error-rate', () => {
  it('answers the given share of requests with the given status; for: reverts it (virtual time)', () => {
    const { service, faults } = virtualMock({ fleet: { workers: 50, serviceTime: '100ms' } }, 9);
    const fault = faults.inject({ fault: 'error-rate', rate: '30%', status: 503, for: '2m' });
    const traffic = virtualOpenLoop(service, { rate: 50, seed: 9 });
    const during = stateAt(service, 20_000);
    traffic.stop();
    service.advance(21_000);
    const outcomes = traffic.outcomes;
    // Binomial(n ≈ 1 000, 0.3): sd 14.5; tolerance 4 sd = 58.
    expect(Math.abs(outcomes.length - 1000)).toBeLessThan(130); // Poisson(1 000): sd 32
    expect(Math.abs(withStatus(outcomes, 503).length - 0.3 * outcomes.length)).toBeLessThan(58);
    expect(withStatus(outcomes, 503).length + withStatus(outcomes, 200).length).toBe(outcomes.length);
    // An injected error is answered at once, without service.
    expect(withStatus(outcomes, 503).every((o) => o.reply!.reason === 'injected-error' && o.reply!.serviceMs === undefined && o.doneAt === o.arrivedAt)).toBe(
      true,
    );
    expect(during.counters.injectedErrors).toBe(
      withStatus(
        outcomes.filter((o) => o.arrivedAt <= 20_000),
        503,
      ).length,
    );

    // After its 2 min of incident time it is gone, exactly then.
    service.advance(fault.at + 119_999);
    expect(faults.list()[0]!.reverted).toBeUndefined();
    service.advance(fault.at + 120_000);
    expect(faults.list()[0]!.reverted).toBe(fault.at + 120_000);
    const after = virtualOpenLoop(service, { rate: 50, seed: 10 });
    service.advance(fault.at + 124_000);
    after.stop();
    service.advance(fault.at + 125_000);
    expect(after.outcomes.length).toBeGreaterThan(150);
    expect(withStatus(after.outcomes, 200)).toHaveLength(after.outcomes.length);
  });

  it('is applied through the control API of a running mock: the client sees the status and the body says why', async () => {
    const mock = await launch({ fleet: { workers: 50, serviceTime: '100ms' } }, { speed: 10 });
    await inject(mock, { fault: 'error-rate', rate: '100%', status: 503 });
    const outcomes = await openLoop({ url: mock.url, rate: 200, count: 20, seed: 9 });
    expect(count(outcomes, 503)).toBe(20);
    expect(outcomes.every((o) => o.body!.error === 'injected-error' && o.serviceMs === undefined)).toBe(true);
  });
});
