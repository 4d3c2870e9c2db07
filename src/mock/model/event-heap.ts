// The simulation's agenda: events ordered by virtual time, ties broken by the order they were scheduled
// so that two things due at the same instant happen in the order the model asked for them. Cancelling
// marks an event dead; dead events are dropped when they reach the top (cheaper than a search), and the
// heap is rebuilt without them if they ever outnumber the live ones (clients that start and abandon long
// tasks over and over would otherwise fill it with dead completions).

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
    readonly onCancel: () => void,
  ) {}

  cancel(): void {
    if (this.dead) return;
    this.dead = true;
    this.onCancel();
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class EventHeap {
  #entries: Entry[] = [];
  #seq = 0;
  #dead = 0;
  readonly #onCancel = () => {
    this.#dead++;
    if (this.#dead > 1024 && this.#dead * 2 > this.#entries.length) this.#rebuild();
  };

  get size(): number {
    return this.#entries.length;
  }

  push(at: number, fire: () => void): ScheduledEvent {
    const entry = new Entry(at, this.#seq++, fire, this.#onCancel);
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
    top.dead = true; // fired: a later cancel() is a no-op
    return top;
  }

  clear(): void {
    for (const entry of this.#entries) entry.dead = true;
    this.#entries = [];
    this.#dead = 0;
  }

  #dropDead(): void {
    while (this.#entries.length > 0 && this.#entries[0]!.dead) {
      this.#removeTop();
      this.#dead--;
    }
  }

  /** Drops every dead entry; the live ones, sorted, are a valid heap. */
  #rebuild(): void {
    const live = this.#entries.filter((e) => !e.dead);
    this.#entries = [];
    this.#dead = 0;
    for (const entry of live.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))) this.#entries.push(entry);
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
