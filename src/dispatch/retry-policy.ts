// When and how soon a failed attempt is tried again, in wall ms.
import type { Random } from '../core/random.js';
import type { Backoff } from '../profile/profile.js';

/**
 * How the dispatcher retries, in wall ms (the engine converts the profile's incident-time RetrySettings
 * with the run's speed; the two are separate types so one cannot be passed for the other).
 */
export interface RetryPolicy {
  /** Retries after the first attempt (0: never retry). */
  max: number;
  backoff: Backoff;
  baseWallMs: number;
  capWallMs: number;
  /** Wait at least as long as a 429/503's Retry-After asks. */
  respectRetryAfter: boolean;
  /** Retries allowed as a share of first attempts over the budget window; undefined: no budget. */
  budget: number | undefined;
  budgetWindowWallMs: number;
}

/**
 * Delay before retry number `retry` (1 for the first retry): none is immediate; exponential is
 * base·2^(retry-1) capped; full-jitter draws uniformly below that (the AWS architecture blog's "Full
 * Jitter", which spreads synchronized clients apart). A Retry-After longer than the backoff wins.
 */
export function retryDelayWallMs(policy: RetryPolicy, retry: number, retryAfterWallMs: number, random: Random): number {
  let delay = 0;
  if (policy.backoff !== 'none') {
    const ceiling = Math.min(policy.capWallMs, policy.baseWallMs * 2 ** (retry - 1));
    delay = policy.backoff === 'exponential' ? ceiling : random.next() * ceiling;
  }
  if (policy.respectRetryAfter && retryAfterWallMs > delay) delay = retryAfterWallMs;
  return delay;
}

/**
 * A retry budget over a sliding window (10 buckets): a retry is allowed while the retries in the window
 * stay within `ratio` × the first attempts in it. Under a storm the first attempts keep arriving at the
 * normal rate, so retries are held to a fixed share of them instead of multiplying the load.
 */
export class RetryBudget {
  #ratio: number;
  #bucketMs: number;
  #firsts = new Float64Array(10);
  #retries = new Float64Array(10);
  #bucketStart = 0;
  #bucket = 0;
  #firstSum = 0;
  #retrySum = 0;

  constructor(ratio: number, windowMs: number, now: number) {
    this.#ratio = ratio;
    this.#bucketMs = windowMs / 10;
    this.#bucketStart = now;
  }

  recordFirstAttempt(now: number): void {
    this.#roll(now);
    this.#firsts[this.#bucket]!++;
    this.#firstSum++;
  }

  /** Takes one retry from the budget if there is room; false means: do not retry. */
  tryRetry(now: number): boolean {
    this.#roll(now);
    if (this.#retrySum + 1 > this.#ratio * this.#firstSum) return false;
    this.#retries[this.#bucket]!++;
    this.#retrySum++;
    return true;
  }

  #roll(now: number): void {
    let steps = Math.floor((now - this.#bucketStart) / this.#bucketMs);
    if (steps <= 0) return;
    if (steps > 10) steps = 10;
    for (let i = 0; i < steps; i++) {
      this.#bucket = (this.#bucket + 1) % 10;
      this.#firstSum -= this.#firsts[this.#bucket]!;
      this.#retrySum -= this.#retries[this.#bucket]!;
      this.#firsts[this.#bucket] = 0;
      this.#retries[this.#bucket] = 0;
    }
    this.#bucketStart = now - ((now - this.#bucketStart) % this.#bucketMs);
  }
}
