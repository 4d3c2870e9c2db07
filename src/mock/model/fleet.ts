// The workers. They are interchangeable, so the fleet is two numbers: how many workers exist and how
// many are busy. Shrinking below the busy count retires workers as their tasks finish (work in service
// is never dropped); growing takes effect at once. The busy-time integral feeds the autoscaler.
import type { Scalable } from './autoscaler.js';

export class Fleet {
  #workers: number;
  #busy = 0;
  #busyArea = 0;
  #workerArea = 0;
  #areaSince: number;
  #changedAt: number;

  constructor(workers: number, now: number) {
    this.#workers = workers;
    this.#areaSince = now;
    this.#changedAt = now;
  }

  /** Workers in the fleet (not counting ones retiring after their current task). */
  get workers(): number {
    return this.#workers;
  }

  /** Tasks on a worker (including workers waiting for a pooled database connection). */
  get busy(): number {
    return this.#busy;
  }

  /** Workers removed from the fleet but still finishing a task. */
  get retiring(): number {
    return Math.max(0, this.#busy - this.#workers);
  }

  hasIdleWorker(): boolean {
    return this.#busy < this.#workers;
  }

  setWorkers(workers: number, now: number): void {
    this.#account(now);
    this.#workers = Math.max(0, workers);
  }

  acquire(now: number): void {
    this.#account(now);
    this.#busy++;
  }

  release(now: number): void {
    this.#account(now);
    this.#busy--;
  }

  /** Busy worker-time over worker-time since the last call (the autoscaler's utilisation); restarts the window. */
  takeUtilisation(now: number): number {
    this.#account(now);
    const span = now - this.#areaSince;
    const busy = span > 0 ? this.#busyArea : this.#busy;
    const workers = span > 0 ? this.#workerArea : this.#workers;
    this.#busyArea = 0;
    this.#workerArea = 0;
    this.#areaSince = now;
    return workers > 0 ? busy / workers : busy > 0 ? Infinity : 0;
  }

  #account(now: number): void {
    this.#busyArea += this.#busy * (now - this.#changedAt);
    this.#workerArea += this.#workers * (now - this.#changedAt);
    this.#changedAt = now;
  }
}

/**
 * The fleet as the autoscaler sees it: its workers, read by their utilisation over the interval. A fleet of
 * zero has no utilisation to read; it wants one worker while tasks wait (`hasBacklog`).
 */
export function scalableFleet(fleet: Fleet, workersAdded: () => void, hasBacklog: () => boolean): Scalable {
  return {
    get serving() {
      return fleet.workers;
    },
    get kept() {
      return fleet.workers;
    },
    read: (now) => fleet.takeUtilisation(now),
    wantedWithNoneServing: () => (hasBacklog() ? 1 : 0),
    add(now) {
      fleet.setWorkers(fleet.workers + 1, now);
      workersAdded();
    },
    remove(count, now) {
      fleet.setWorkers(fleet.workers - count, now);
    },
  };
}
