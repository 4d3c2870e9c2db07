// A token bucket: `rate` tokens per second, at most `burst` saved up, full at the start. Tokens accrue
// continuously on whatever clock the caller reads (ms), so it is exact whatever the arrival pattern: the
// mock's edge limiter keeps its virtual time, the proxy's rate-limit fault the wall's.
export class TokenBucket {
  #rate: number;
  #burst: number;
  #tokens: number;
  #updatedAt: number;

  constructor(rate: number, burst: number, now: number) {
    this.#rate = rate;
    this.#burst = burst;
    this.#tokens = burst;
    this.#updatedAt = now;
  }

  /** Takes a token if there is one. */
  take(now: number): boolean {
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Ms until the next token. */
  waitMs(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : ((1 - this.#tokens) / this.#rate) * 1000;
  }

  /** New rate and burst from now on; tokens saved so far are kept (up to the new burst). */
  reconfigure(rate: number, burst: number, now: number): void {
    this.#refill(now);
    this.#rate = rate;
    this.#burst = burst;
    this.#tokens = Math.min(this.#tokens, this.#burst);
  }

  #refill(now: number): void {
    if (now > this.#updatedAt) {
      this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#rate);
      this.#updatedAt = now;
    }
  }
}
