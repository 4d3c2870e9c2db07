// The routing layer: round-robin over the ready nodes. A node that fails readiness (memory, or the
// kill-routers fault) answers its in-flight requests 502 at once and comes back after restartAfter plus a
// uniform jitter. Each loss raises the rate on the rest, which is how one leaky node becomes a cascade.
//
// Responses differ in size, so the garbage a request leaves is drawn from an exponential distribution
// with mean bytesPerRequest. That is also what makes equal nodes under round-robin drift apart and fail
// one after another rather than all on the same request.
import type { RoutersConfig } from '../config.js';
import type { Random } from '../../random.js';
import { RouterNode } from './router-node.js';
import type { Simulation } from './simulation.js';
import type { Task } from './task.js';

export interface RouterPoolEvents {
  /** A node failed; these requests were in flight on it and must be answered 502. */
  lost(tasks: Task[]): void;
}

export class RouterPool {
  readonly nodes: RouterNode[] = [];
  #config: RoutersConfig;
  #cursor = 0;
  #nextId = 0;

  constructor(
    config: RoutersConfig,
    readonly sim: Simulation,
    /** Restart jitter. */
    readonly random: Random,
    /** Garbage per request. */
    readonly garbage: Random,
    readonly events: RouterPoolEvents,
  ) {
    this.#config = config;
    this.#resize(config.count);
  }

  get config(): RoutersConfig {
    return this.#config;
  }

  readyCount(): number {
    let n = 0;
    for (const node of this.nodes) if (node.ready) n++;
    return n;
  }

  /**
   * Routes a task to the next ready node. Returns the node, or undefined when none is ready (503). If the
   * request takes its node past its memory limit, the node fails at once and the task is among the lost.
   */
  route(task: Task): RouterNode | undefined {
    const n = this.nodes.length;
    for (let i = 0; i < n; i++) {
      const index = (this.#cursor + i) % n;
      const node = this.nodes[index]!;
      if (!node.ready) continue;
      this.#cursor = index + 1;
      const bytes = this.garbage.exponential(this.#config.bytesPerRequest);
      if (node.route(task, bytes, this.sim.now, this.#config)) this.fail(node);
      return node;
    }
    return undefined;
  }

  /** Takes a node out of rotation; it restarts by itself unless `holdDown` (it then waits for `start`). */
  fail(node: RouterNode, holdDown = false): void {
    if (!node.ready) return;
    const lost = node.fail(this.sim.now);
    if (!holdDown) {
      const delay = this.#config.restartAfter + this.random.uniform(0, this.#config.restartJitter);
      node.restart = this.sim.after(delay, () => node.start(this.sim.now, this.#config));
    }
    this.events.lost(lost);
  }

  /** Brings a failed node back now (a killed node when its fault is reverted). */
  start(node: RouterNode): void {
    if (node.ready || !this.nodes.includes(node)) return;
    node.restart?.cancel();
    node.start(this.sim.now, this.#config);
  }

  reconfigure(config: RoutersConfig): void {
    for (const node of this.nodes) node.settle(this.sim.now, this.#config);
    this.#config = config;
    this.#resize(config.count);
  }

  /** Fewer nodes: the last ones leave rotation and finish what they have; more: fresh ready nodes. */
  #resize(count: number): void {
    while (this.nodes.length > count) {
      const node = this.nodes.pop()!;
      node.restart?.cancel();
    }
    while (this.nodes.length < count) this.nodes.push(new RouterNode(this.#nextId++, this.#config.baseMemory, this.sim.now));
  }
}
