// Attempts in the order of their deadlines, so timeouts need no timer per request: the timeout is the same
// for every attempt and attempts are sent in time order, so their deadlines are sorted, and a FIFO looked
// at on each tick finds the expired ones at its head. A head index instead of shift() (O(1) per attempt),
// compacted now and then; settled attempts are skipped and let go.
import type { Attempt } from './attempt.js';

export class DeadlineQueue {
  #items: (Attempt | undefined)[] = [];
  #head = 0;

  push(attempt: Attempt): void {
    this.#items.push(attempt);
  }

  /** Takes every attempt whose deadline is at or before `nowWall` (and the settled ones ahead of it); `expire` gets the live ones. */
  expire(nowWall: number, expire: (attempt: Attempt) => void): void {
    const items = this.#items;
    while (this.#head < items.length) {
      const attempt = items[this.#head]!;
      if (!attempt.done && attempt.deadlineWall > nowWall) break;
      // Let the attempt go now rather than at the next compaction.
      items[this.#head++] = undefined;
      if (!attempt.done) expire(attempt);
    }
    if (this.#head > 4096 && this.#head * 2 > items.length) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The earliest deadline of an attempt still waiting, Infinity when none is. */
  nextDeadline(): number {
    for (let i = this.#head; i < this.#items.length; i++) {
      const attempt = this.#items[i];
      if (attempt && !attempt.done) return attempt.deadlineWall;
    }
    return Infinity;
  }

  /** Empties the queue, returning the attempts still waiting for an answer. */
  drain(): Attempt[] {
    const live = this.#items.slice(this.#head).filter((a): a is Attempt => a !== undefined && !a.done);
    this.#items = [];
    this.#head = 0;
    return live;
  }
}
