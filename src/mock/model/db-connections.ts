// The database in front of the workers (DALL·E, March 2023). Without pooling each working server holds its
// own connection for as long as it runs, so only `maxConnections` workers can run at all, however many
// the fleet has. With pooling, tasks share min(poolSize, maxConnections) connections: a task on a worker
// takes one for the first `holdTime` of its service, waiting (on its worker) when none is free.
import type { DbConfig } from '../config/index.js';
import type { Task } from './task.js';

export class DbConnections {
  #config: DbConfig | undefined;
  #inUse = 0;
  #waiting: Task[] = [];

  constructor(config: DbConfig | undefined) {
    this.#config = config;
  }

  get pooling(): boolean {
    return this.#config?.pooling === true;
  }

  /** Connections the running tasks can use at once, or Infinity without a database section. */
  capacity(): number {
    const c = this.#config;
    if (!c) return Infinity;
    return c.pooling ? Math.min(c.poolSize, c.maxConnections) : c.maxConnections;
  }

  /** Pooled connections in use (without pooling, every busy worker holds one: see `Fleet.busy`). */
  get inUse(): number {
    return this.#inUse;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  holdTime(): number {
    return this.#config?.holdTime ?? 0;
  }

  /** Without pooling: whether one more worker can run next to `busy` running ones. */
  allowsStart(busy: number): boolean {
    return this.pooling || busy < this.capacity();
  }

  /** With pooling: takes a connection if one is free. */
  tryAcquire(): boolean {
    if (this.#inUse >= this.capacity()) return false;
    this.#inUse++;
    return true;
  }

  wait(task: Task): void {
    task.db = 'waiting';
    this.#waiting.push(task);
  }

  removeWaiter(task: Task): void {
    const i = this.#waiting.indexOf(task);
    if (i >= 0) this.#waiting.splice(i, 1);
    task.db = 'none';
  }

  /** Gives a connection back; returns the waiters that can now take one (each already counted in use). */
  release(): Task[] {
    this.#inUse--;
    return this.#grant();
  }

  /** A new database config; returns waiters that can proceed (granted a connection, or pooling is gone). */
  reconfigure(config: DbConfig | undefined): { granted: Task[]; unblocked: Task[] } {
    this.#config = config;
    if (!this.pooling) {
      const unblocked = this.#waiting;
      this.#waiting = [];
      for (const task of unblocked) task.db = 'none';
      return { granted: [], unblocked };
    }
    return { granted: this.#grant(), unblocked: [] };
  }

  #grant(): Task[] {
    const granted: Task[] = [];
    while (this.#waiting.length > 0 && this.#inUse < this.capacity()) {
      granted.push(this.#waiting.shift()!);
      this.#inUse++;
    }
    return granted;
  }
}
