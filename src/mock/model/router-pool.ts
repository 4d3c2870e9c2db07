// The routing layer: round-robin over the ready nodes. A node that fails readiness (memory, or the
// kill-routers fault) answers its in-flight requests 502 at once and comes back after restartAfter plus a
// uniform jitter. Each loss raises the rate on the rest, which is how one leaky node becomes a cascade.
//
// Responses differ in size, so the garbage a request leaves is drawn from an exponential distribution
// with mean bytesPerRequest. That is also what makes equal nodes under round-robin drift apart and fail
// one after another rather than all on the same request.
//
// With `autoscale` the pool sizes itself by memory: every interval the autoscaler reads the mean memory of
// the ready nodes as a share of memoryLimit, adds fresh nodes (after provisionDelay) and takes ready ones
// out of rotation. A node that failed readiness is restarting, not gone: it stays in the pool, and a
// scale-down never takes it. The pool's size is the autoscaler's; `count` sets it only when it changes.
import type { RoutersConfig } from '../config/index.js';
import type { Random } from '../../core/random.js';
import { Autoscaler, scalePolicy, type Scalable } from './autoscaler.js';
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
  readonly #autoscaler: Autoscaler;

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
    this.#autoscaler = new Autoscaler(sim, this.#scalable());
    this.#autoscaler.reconfigure(scalePolicy(config.autoscale, (a) => a.targetMemory));
  }

  get config(): RoutersConfig {
    return this.#config;
  }

  /** Nodes the autoscaler has asked for that are not in rotation yet. */
  get provisioning(): number {
    return this.#autoscaler.provisioning;
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

  /** A new config; the pool is resized only if `count` changed (as the fleet is by `workers`). */
  reconfigure(config: RoutersConfig): void {
    for (const node of this.nodes) node.settle(this.sim.now, this.#config);
    const resize = config.count !== this.#config.count;
    this.#config = config;
    if (resize) this.#resize(config.count);
    this.#autoscaler.reconfigure(scalePolicy(config.autoscale, (a) => a.targetMemory));
  }

  /** The routers section is off: no more restarts or provisioning, and no request is on a node any more. */
  close(): void {
    this.#autoscaler.reconfigure(undefined);
    for (const node of this.nodes) {
      node.restart?.cancel();
      for (const task of [...node.inFlight]) node.release(task);
    }
  }

  /** Fewer nodes: the last ones leave rotation and finish what they have; more: fresh ready nodes. */
  #resize(count: number): void {
    while (this.nodes.length > count) {
      const node = this.nodes.pop()!;
      node.restart?.cancel();
    }
    while (this.nodes.length < count) this.#addNode();
  }

  #addNode(): void {
    this.nodes.push(new RouterNode(this.#nextId++, this.#config.baseMemory, this.sim.now));
  }

  /**
   * The pool as the autoscaler sees it: the ready nodes, read by their mean memory as a share of
   * memoryLimit at the moment of the reading (memory is a level that already sums up the recent load, so
   * no averaging over the interval). With no node ready there is nothing to read and nothing is decided.
   * A scale-down takes ready nodes, the newest first; they leave rotation and finish what they have.
   */
  #scalable(): Scalable {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters below read the pool, not themselves
    const pool = this;
    return {
      get serving() {
        return pool.readyCount();
      },
      get kept() {
        return pool.nodes.length;
      },
      read(now) {
        let sum = 0;
        let ready = 0;
        for (const node of pool.nodes) {
          if (!node.ready) continue;
          sum += node.memory(now, pool.#config);
          ready++;
        }
        return ready > 0 ? sum / ready / pool.#config.memoryLimit : 0;
      },
      wantedWithNoneServing: () => undefined,
      add: () => pool.#addNode(),
      remove(count) {
        for (let i = pool.nodes.length - 1; i >= 0 && count > 0; i--) {
          if (!pool.nodes[i]!.ready) continue;
          pool.nodes.splice(i, 1);
          count--;
        }
      },
    };
  }
}
