// A binary min-heap of items ordered by a numeric key, kept in two parallel arrays so pushing and
// popping allocate nothing per item once the arrays have grown.
export class MinHeap<T> {
  #keys: number[] = [];
  #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  /** The smallest key, or Infinity when empty. */
  peekKey(): number {
    return this.#keys.length > 0 ? this.#keys[0]! : Infinity;
  }

  push(key: number, item: T): void {
    const keys = this.#keys;
    const items = this.#items;
    let i = keys.length;
    keys.push(key);
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      items[i] = items[parent]!;
      i = parent;
    }
    keys[i] = key;
    items[i] = item;
  }

  /** Removes and returns the item with the smallest key (undefined when empty). */
  pop(): T | undefined {
    const keys = this.#keys;
    const items = this.#items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const lastKey = keys.pop()!;
    const lastItem = items.pop()!;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && keys[right]! < keys[left]! ? right : left;
        if (keys[child]! >= lastKey) break;
        keys[i] = keys[child]!;
        items[i] = items[child]!;
        i = child;
      }
      keys[i] = lastKey;
      items[i] = lastItem;
    }
    return top;
  }

  /** Removes every item, returning them in no particular order. */
  drain(): T[] {
    const items = this.#items;
    this.#items = [];
    this.#keys = [];
    return items;
  }
}
