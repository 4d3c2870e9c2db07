// One routing-layer node. Every request it routes leaves garbage (on average `bytesPerRequest`); the
// collector reclaims `gcRate` bytes per second down to `baseMemory`. Memory therefore only rises at an arrival, and
// the node fails readiness at the arrival that takes it past `memoryLimit` (API outage, November 2023).
import type { RoutersConfig } from '../config/index.js';
import type { ScheduledEvent } from './simulation.js';
import type { Task } from './task.js';

export class RouterNode {
  ready = true;
  /** Times it failed readiness (each failure is followed by a restart). */
  failures = 0;
  /** Virtual time of the last readiness failure. */
  failedAt: number | undefined;
  /** Requests routed through this node and not yet answered. */
  readonly inFlight = new Set<Task>();
  /** When a failed node comes back, if it is scheduled to (kill-routers with `for` holds nodes down). */
  restart: ScheduledEvent | undefined;
  #memory: number;
  #updatedAt: number;

  constructor(
    readonly id: number,
    baseMemory: number,
    now: number,
  ) {
    this.#memory = baseMemory;
    this.#updatedAt = now;
  }

  /** Bytes in use at `now`, after collecting garbage since the last look. */
  memory(now: number, config: RoutersConfig): number {
    this.#collect(now, config);
    return this.#memory;
  }

  /** Routes one request, which leaves `garbage` bytes. Returns true if that took the node past its memory limit. */
  route(task: Task, garbage: number, now: number, config: RoutersConfig): boolean {
    this.#collect(now, config);
    this.#memory += garbage;
    this.inFlight.add(task);
    task.node = this;
    return this.#memory > config.memoryLimit;
  }

  release(task: Task): void {
    this.inFlight.delete(task);
    if (task.node === this) task.node = undefined;
  }

  /** Fails readiness: leaves rotation; returns the requests it had in flight (to be answered 502). */
  fail(now: number): Task[] {
    this.ready = false;
    this.failedAt = now;
    this.failures++;
    const lost = [...this.inFlight];
    for (const task of lost) this.release(task);
    return lost;
  }

  /** Back in rotation with a fresh heap. */
  start(now: number, config: RoutersConfig): void {
    this.ready = true;
    this.restart = undefined;
    this.#memory = config.baseMemory;
    this.#updatedAt = now;
  }

  /** Call before the collector's rate changes so garbage so far is collected at the old rate. */
  settle(now: number, config: RoutersConfig): void {
    this.#collect(now, config);
  }

  #collect(now: number, config: RoutersConfig): void {
    if (now > this.#updatedAt) {
      const collected = (config.gcRate * (now - this.#updatedAt)) / 1000;
      this.#memory = Math.max(config.baseMemory, this.#memory - collected);
      this.#updatedAt = now;
    }
  }
}
