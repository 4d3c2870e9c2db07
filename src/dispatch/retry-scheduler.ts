// Retries waiting for their time: a heap by due time, the retry budget, and the switch that stops them
// (the schedule is over and draining, or the run was interrupted). It decides whether a failed attempt
// may be tried again and when; the dispatcher sends it when it is due.
import { MinHeap } from '../core/min-heap.js';
import { Random } from '../core/random.js';
import type { LogicalRequest } from './logical-request.js';
import { RetryBudget, retryDelayWallMs, type RetryPolicy } from './retry-policy.js';

export class RetryScheduler {
  readonly #policy: RetryPolicy;
  readonly #random: Random;
  readonly #budget: RetryBudget | undefined;
  readonly #waiting = new MinHeap<LogicalRequest>();
  #stopped = false;

  constructor(policy: RetryPolicy, seed: number, startWall: number, stream = 'retry-jitter') {
    this.#policy = policy;
    this.#random = new Random(seed, stream);
    this.#budget = policy.max > 0 && policy.budget !== undefined ? new RetryBudget(policy.budget, policy.budgetWindowWallMs, startWall) : undefined;
  }

  /** A request's first attempt went out: the budget counts it. */
  recordFirstAttempt(nowWall: number): void {
    this.#budget?.recordFirstAttempt(nowWall);
  }

  /**
   * The wall delay before `request` is tried again, or -1 when it is not: retries are stopped, it has had
   * all its attempts, or the budget has no room (a retry taken from the budget is spent).
   */
  delayFor(request: LogicalRequest, retryAfterWallMs: number, nowWall: number): number {
    if (this.#stopped || request.attempts > this.#policy.max || (this.#budget && !this.#budget.tryRetry(nowWall))) return -1;
    return retryDelayWallMs(this.#policy, request.attempts, retryAfterWallMs, this.#random);
  }

  schedule(request: LogicalRequest, dueWall: number): void {
    this.#waiting.push(dueWall, request);
  }

  /** Hands every retry due by `nowWall` to `send`, earliest first. */
  sendDue(nowWall: number, send: (request: LogicalRequest) => void): void {
    while (this.#waiting.peekKey() <= nowWall) send(this.#waiting.pop()!);
  }

  /** When the next retry is due, Infinity when none waits. */
  nextDueWall(): number {
    return this.#waiting.peekKey();
  }

  /** No retries from now on; the requests that were waiting for one are returned (they end as they are). */
  stop(): LogicalRequest[] {
    this.#stopped = true;
    return this.#waiting.drain();
  }
}
