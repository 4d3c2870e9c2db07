// Virtual time and the agenda. The model never reads a clock: whoever drives it (a test with a manual
// clock, or the HTTP layer coupled to the wall clock) calls `advance(now)` before telling it anything, so
// every event due at or before that moment has happened first, each at its own exact virtual time.
import { EventHeap, type ScheduledEvent } from './event-heap.js';

export type { ScheduledEvent } from './event-heap.js';

export class Simulation {
  #now = 0;
  #heap = new EventHeap();

  /** Virtual (incident) milliseconds. */
  get now(): number {
    return this.#now;
  }

  /** Schedules `fire` at virtual time `at` (never in the past: earlier means now). */
  at(at: number, fire: () => void): ScheduledEvent {
    return this.#heap.push(Math.max(at, this.#now), fire);
  }

  after(delay: number, fire: () => void): ScheduledEvent {
    return this.at(this.#now + delay, fire);
  }

  /** Virtual time of the next event, or Infinity. */
  nextAt(): number {
    return this.#heap.peekAt();
  }

  /** Runs every event due at or before `to`, in order, each at its own time; then the clock reads `to`. */
  advance(to: number): void {
    for (let event = this.#heap.popDue(to); event; event = this.#heap.popDue(to)) {
      if (event.at > this.#now) this.#now = event.at;
      event.fire();
    }
    if (to > this.#now) this.#now = to;
  }

  /** Drops every pending event; the clock keeps its time. */
  clear(): void {
    this.#heap.clear();
  }
}
