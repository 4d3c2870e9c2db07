import { describe, expect, it } from 'vitest';
import { RetryBudget, retryDelayWallMs, type RetryPolicy } from '../../src/dispatch/retry-policy.js';
import { Random } from '../../src/core/random.js';

const policy = (p: Partial<RetryPolicy>): RetryPolicy => ({
  max: 3,
  backoff: 'exponential',
  baseWallMs: 100,
  capWallMs: 1_000,
  respectRetryAfter: true,
  budget: undefined,
  budgetWindowWallMs: 10_000,
  ...p,
});

describe('backoff', () => {
  const random = new Random(1, 'test');

  it('none retries at once; exponential doubles from the base up to the cap', () => {
    expect(retryDelayWallMs(policy({ backoff: 'none' }), 3, -1, random)).toBe(0);
    expect([1, 2, 3, 4, 5].map((n) => retryDelayWallMs(policy({}), n, -1, random))).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('full jitter draws uniformly below the exponential ceiling', () => {
    const p = policy({ backoff: 'full-jitter' });
    const draws = Array.from({ length: 20_000 }, () => retryDelayWallMs(p, 3, -1, random)); // ceiling 400
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(400);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    // Uniform(0, 400): mean 200, sd 115; the mean of 20,000 has a standard error of 0.8.
    expect(Math.abs(mean - 200)).toBeLessThan(4);
  });

  it('a longer Retry-After wins when respected, and is ignored otherwise', () => {
    expect(retryDelayWallMs(policy({}), 1, 5_000, random)).toBe(5_000);
    expect(retryDelayWallMs(policy({}), 1, 50, random)).toBe(100);
    expect(retryDelayWallMs(policy({ respectRetryAfter: false }), 1, 5_000, random)).toBe(100);
  });
});

describe('retry budget', () => {
  it('allows retries up to the ratio of first attempts in the window, then refuses', () => {
    const budget = new RetryBudget(0.1, 10_000, 0);
    for (let i = 0; i < 100; i++) budget.recordFirstAttempt(i);
    let allowed = 0;
    for (let i = 0; i < 50; i++) if (budget.tryRetry(200)) allowed++;
    expect(allowed).toBe(10);
  });

  it('forgets first attempts and retries that slid out of the window', () => {
    const budget = new RetryBudget(0.5, 1_000, 0);
    for (let i = 0; i < 10; i++) budget.recordFirstAttempt(0);
    for (let i = 0; i < 5; i++) expect(budget.tryRetry(10)).toBe(true);
    expect(budget.tryRetry(20)).toBe(false);
    // A window later, the old attempts (and the old retries) no longer count.
    expect(budget.tryRetry(1_200)).toBe(false);
    for (let i = 0; i < 4; i++) budget.recordFirstAttempt(1_200);
    expect(budget.tryRetry(1_200)).toBe(true);
    expect(budget.tryRetry(1_200)).toBe(true);
    expect(budget.tryRetry(1_200)).toBe(false);
  });
});
