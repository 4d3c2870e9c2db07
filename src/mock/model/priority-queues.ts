// Traffic separation (the `priority` section): high-priority tasks wait in a queue of their own, ahead of
// the normal ones. Each class keeps the configured order (fifo, lifo, adaptive-lifo) within itself; a freed
// server takes a waiting high-priority task first, and a normal one only while the service says normal work
// may start (more than `reserved` servers free). The health monitor's sweep and cancellation cover both.
import type { QueueConfig } from '../config/index.js';
import type { Task } from './task.js';
import { TaskQueue } from './task-queue.js';

/** What the simulated service needs of its queue: one TaskQueue, or one per class. */
export interface Queue {
  readonly length: number;
  push(task: Task): void;
  /** The next task to start; `normalMayStart` false holds normal tasks back (a single queue ignores it). */
  take(now: number, config: QueueConfig, normalMayStart: boolean): Task | undefined;
  takeExpired(now: number, timeout: number): Task[];
  remove(task: Task): void;
  drain(): Task[];
}

export class PriorityQueues implements Queue {
  readonly high = new TaskQueue();
  readonly normal = new TaskQueue();

  get length(): number {
    return this.high.length + this.normal.length;
  }

  push(task: Task): void {
    (task.high ? this.high : this.normal).push(task);
  }

  take(now: number, config: QueueConfig, normalMayStart: boolean): Task | undefined {
    if (this.high.length > 0) return this.high.take(now, config);
    return normalMayStart ? this.normal.take(now, config) : undefined;
  }

  /** Expired tasks of both classes, oldest first. */
  takeExpired(now: number, timeout: number): Task[] {
    return byArrival(this.high.takeExpired(now, timeout), this.normal.takeExpired(now, timeout));
  }

  remove(task: Task): void {
    (task.high ? this.high : this.normal).remove(task);
  }

  drain(): Task[] {
    return byArrival(this.high.drain(), this.normal.drain());
  }

  /** Queued tasks an arriving task waits behind: the high ones for a high task, all of them for a normal one. */
  ahead(high: boolean): number {
    return high ? this.high.length : this.length;
  }
}

/**
 * The priority section was switched on or off at run time: the waiting tasks move to a queue of the other
 * kind in arrival order (split by the class each was given on arrival, or merged into one).
 */
export function requeue(from: Queue, priority: boolean): Queue {
  const to: Queue = priority ? new PriorityQueues() : new TaskQueue();
  for (const task of from.drain()) to.push(task);
  return to;
}

/** Two oldest-first lists merged oldest first (task ids count arrivals). */
function byArrival(a: Task[], b: Task[]): Task[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: Task[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.id < b[j]!.id ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
