// The simulation's agenda: events ordered by virtual time, ties broken by the order they were scheduled
// so that two things due at the same instant happen in the order the model asked for them. Cancelling
// marks an event dead; dead events are dropped when they reach the top (cheaper than a search).

export interface ScheduledEvent {
  readonly at: number;
  cancel(): void;
}

class Entry implements ScheduledEvent {
  dead = false;
  constructor(
    readonly at: number,
    readonly seq: number,
    readonly fire: () => void,
  ) {}

  cancel(): void {
    this.dead = true;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class EventHeap {
  #entries: Entry[] = [];
  #seq = 0;

  get size(): number {
    return this.#entries.length;
  }

  push(at: number, fire: () => void): ScheduledEvent {
    const entry = new Entry(at, this.#seq++, fire);
    const entries = this.#entries;
    let i = entries.length;
    entries.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, entries[parent]!)) break;
      entries[i] = entries[parent]!;
      i = parent;
    }
    entries[i] = entry;
    return entry;
  }

  /** Virtual time of the next live event, or Infinity. */
  peekAt(): number {
    this.#dropDead();
    return this.#entries[0]?.at ?? Infinity;
  }

  /** Removes and returns the next live event due at or before `limit`. */
  popDue(limit: number): { at: number; fire: () => void } | undefined {
    this.#dropDead();
    const top = this.#entries[0];
    if (top === undefined || top.at > limit) return undefined;
    this.#removeTop();
    return top;
  }

  clear(): void {
    for (const entry of this.#entries) entry.dead = true;
    this.#entries = [];
  }

  #dropDead(): void {
    while (this.#entries.length > 0 && this.#entries[0]!.dead) this.#removeTop();
  }

  #removeTop(): void {
    const entries = this.#entries;
    const last = entries.pop()!;
    if (entries.length === 0) return;
    let i = 0;
    const n = entries.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(entries[r]!, entries[l]!) ? r : l;
      if (!before(entries[c]!, last)) break;
      entries[i] = entries[c]!;
      i = c;
    }
    entries[i] = last;
  }
}
