// Tasks waiting for a worker, kept in arrival order so the oldest are always at the head: FIFO takes from
// the head, LIFO from the tail, and the health monitor's sweep removes an expired prefix. Tasks removed
// from the middle (a client left and cancelOnDisconnect is on) are marked and skipped, so every
// operation is O(1) amortised; the array is compacted when the dead outnumber the live.
//
// adaptive-lifo (after Facebook's "Fail at Scale"): FIFO while the queue is healthy, LIFO while it is
// congested, i.e. while its oldest task has waited at least `congestedAfter`. Under a backlog the newest
// requests, whose callers are still waiting, are served first; the oldest are left to the timeout.
import type { QueueConfig } from '../config/index.js';
import type { Task } from './task.js';

export class TaskQueue {
  #items: Task[] = [];
  #head = 0;
  #live = 0;

  get length(): number {
    return this.#live;
  }

  push(task: Task): void {
    task.phase = 'queued';
    this.#items.push(task);
    this.#live++;
  }

  /** The task that has waited longest. */
  oldest(): Task | undefined {
    this.#trimHead();
    return this.#items[this.#head];
  }

  /** Whether adaptive-lifo would serve LIFO now. */
  congested(now: number, config: QueueConfig): boolean {
    const oldest = this.oldest();
    return oldest !== undefined && now - oldest.arrivedAt >= config.congestedAfter;
  }

  /** The next task to serve under the configured order; it leaves the queue. */
  take(now: number, config: QueueConfig): Task | undefined {
    const lifo = config.order === 'lifo' || (config.order === 'adaptive-lifo' && this.congested(now, config));
    let task: Task | undefined;
    if (lifo) {
      this.#trimTail();
      task = this.#items.length > this.#head ? this.#items.pop() : undefined;
    } else {
      this.#trimHead();
      task = this.#items[this.#head];
      if (task !== undefined) this.#items[this.#head++] = undefined as unknown as Task;
    }
    if (task !== undefined) this.#taken(task);
    this.#compact();
    return task;
  }

  /** Removes and returns every task that has waited at least `timeout` (they are the head of the queue). */
  takeExpired(now: number, timeout: number): Task[] {
    const expired: Task[] = [];
    for (let task = this.oldest(); task !== undefined && now - task.arrivedAt >= timeout; task = this.oldest()) {
      this.#items[this.#head++] = undefined as unknown as Task;
      this.#taken(task);
      expired.push(task);
    }
    this.#compact();
    return expired;
  }

  /** Removes one task wherever it is (lazily). */
  remove(task: Task): void {
    if (task.phase !== 'queued') return;
    this.#taken(task);
    this.#compact();
  }

  /** Empties the queue, returning the live tasks oldest first. */
  drain(): Task[] {
    const live = this.#items.slice(this.#head).filter((t) => t !== undefined && t.phase === 'queued');
    for (const task of live) this.#taken(task);
    this.#items = [];
    this.#head = 0;
    return live;
  }

  /** Out of the queue; the caller gives the task its next phase. */
  #taken(task: Task): void {
    task.phase = 'done';
    this.#live--;
  }

  #trimHead(): void {
    const items = this.#items;
    while (this.#head < items.length && items[this.#head]?.phase !== 'queued') this.#head++;
  }

  #trimTail(): void {
    const items = this.#items;
    while (items.length > this.#head && items[items.length - 1]?.phase !== 'queued') items.pop();
  }

  #compact(): void {
    const physical = this.#items.length - this.#head;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    if (physical > 2 * this.#live + 1024) {
      this.#items = this.#items.slice(this.#head).filter((t) => t !== undefined && t.phase === 'queued');
      this.#head = 0;
    }
  }
}
