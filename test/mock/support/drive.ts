// Drives the model directly with a manual clock: no timers, no sockets, exact virtual times.
import { Random } from '../../../src/core/random.js';
import type { SimulatedService } from '../../../src/mock/model/simulated-service.js';
import type { Reply, Task } from '../../../src/mock/model/task.js';

export interface Answer extends Reply {
  /** Index of the arrival. */
  index: number;
  arrivedAt: number;
  /** Virtual time the answer was delivered. */
  at: number;
}

export class Recorder {
  readonly answers: Answer[] = [];
  readonly tasks: Task[] = [];

  constructor(readonly service: SimulatedService) {}

  /** One arrival at virtual time `t` (advancing the model there first). */
  arriveAt(t: number): Task {
    this.service.advance(t);
    const index = this.tasks.length;
    const arrivedAt = this.service.now;
    const task = this.service.arrive((reply) => this.answers.push({ ...reply, index, arrivedAt, at: this.service.now }));
    this.tasks.push(task);
    return task;
  }

  /** Poisson arrivals at `ratePerSecond` starting at `from`; returns the time of the last one. */
  poisson(count: number, ratePerSecond: number, seed: number, from = this.service.now): number {
    const gaps = new Random(seed, 'test.arrivals');
    let t = from;
    for (let i = 0; i < count; i++) {
      t += gaps.exponential(1000 / ratePerSecond);
      this.arriveAt(t);
    }
    return t;
  }

  /** Evenly spaced arrivals. */
  uniform(count: number, ratePerSecond: number, from = this.service.now): number {
    let t = from;
    for (let i = 0; i < count; i++) {
      t += 1000 / ratePerSecond;
      this.arriveAt(t);
    }
    return t;
  }

  byStatus(status: number): Answer[] {
    return this.answers.filter((a) => a.status === status);
  }

  count(status: number): number {
    return this.byStatus(status).length;
  }
}

export function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
