// The edge token bucket: `rate` tokens per incident second, at most `burst` saved up. Tokens accrue
// continuously in virtual time, so the limiter is exact whatever the arrival pattern.
import type { RateLimitConfig } from '../config/index.js';

export class RateLimiter {
  #rate: number;
  #burst: number;
  #tokens: number;
  #updatedAt: number;

  constructor(config: RateLimitConfig, now: number) {
    this.#rate = config.rate;
    this.#burst = config.burst;
    this.#tokens = config.burst;
    this.#updatedAt = now;
  }

  /** Takes a token if there is one. */
  take(now: number): boolean {
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Incident ms until the next token. */
  waitForToken(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : ((1 - this.#tokens) / this.#rate) * 1000;
  }

  /** New rate and burst from now on; tokens saved so far are kept (up to the new burst). */
  reconfigure(config: RateLimitConfig, now: number): void {
    this.#refill(now);
    this.#rate = config.rate;
    this.#burst = config.burst;
    this.#tokens = Math.min(this.#tokens, this.#burst);
  }

  #refill(now: number): void {
    if (now > this.#updatedAt) {
      this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#rate);
      this.#updatedAt = now;
    }
  }
}
