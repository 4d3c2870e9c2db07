// The simulated service: a discrete-event model in incident time. Each request is a Task that flows
//
//   rateLimit -> router (round-robin over ready nodes) -> injected errors -> admission -> queue -> worker
//   (+ database connection) -> response (+ added latency)
//
// and every state change happens at an exact virtual time taken from the Simulation's agenda. The model
// never reads a clock and never touches a socket: the HTTP layer (or a test) calls `advance(now)` and then
// `arrive`/`abandon`, and the model calls each task's `respond` when its answer is due.
//
// With the priority section, high-priority tasks have a queue of their own ahead of the normal one
// (priority-queues.ts) and `reserved` servers that normal tasks may not take.
//
// Faults change the configuration as layers over the base config (`overlay`), so reverting one fault
// recomputes the config from the others and never clobbers a change made after it.
import { checkMockConfig, meanServiceTime, type MockConfig } from '../config/index.js';
import { Random } from '../../core/random.js';
import { admissionVerdict } from './admission.js';
import { Autoscaler, scalePolicy, type ScalePolicy } from './autoscaler.js';
import { emptyCounters, type Counters } from './counters.js';
import { DbConnections } from './db-connections.js';
import { Fleet, scalableFleet } from './fleet.js';
import { HealthMonitor } from './health-monitor.js';
import { PriorityQueues, requeue, type Queue } from './priority-queues.js';
import { TokenBucket } from '../../core/token-bucket.js';
import { RouterPool } from './router-pool.js';
import type { RouterNode } from './router-node.js';
import { ServiceTimeSampler } from './service-time-sampler.js';
import { Simulation } from './simulation.js';
import { NO_ANSWER, Task, type Reply, type Respond } from './task.js';
import { TaskQueue } from './task-queue.js';

export interface RouterState {
  id: number;
  ready: boolean;
  /** Bytes. */
  memory: number;
  inFlight: number;
  failures: number;
  /** Virtual time of its last readiness failure, if any. */
  failedAt: number | null;
}

/** The model's part of `GET /state`. */
export interface ServiceState {
  /** Virtual (incident) ms since the mock started. */
  t: number;
  /** The effective config: the base config with the active faults applied. */
  config: MockConfig;
  queued: number;
  busy: number;
  workers: number;
  /** Ready router nodes, or null when the routers section is off. */
  routersReady: number | null;
  routers: RouterState[];
  /** Workers removed by a shrink but still finishing a task. */
  retiring: number;
  /** Workers the autoscaler has asked for that are not up yet. */
  provisioning: number;
  /** Router nodes the routers' autoscaler has asked for that are not in rotation yet; null without routers. */
  routersProvisioning: number | null;
  /** Pooled database connections, when the db section is on. */
  db: { capacity: number; inUse: number; waiting: number } | null;
  /** The two classes of traffic, when the priority section is on (`queued` is their sum). */
  priority: { queuedHigh: number; queuedNormal: number; busyHigh: number } | null;
  counters: Counters;
}

export interface ServiceOptions {
  seed: number;
}

type Transform = (config: MockConfig) => MockConfig;

export class SimulatedService {
  readonly sim = new Simulation();
  readonly #initial: MockConfig;
  readonly #seed: number;
  #layers: { transform: Transform }[] = [];
  #config!: MockConfig;
  #counters!: Counters;
  #nextTaskId = 1;
  /** Tasks whose client still waits for an answer. */
  #open = new Set<Task>();
  /** One TaskQueue, or PriorityQueues while the priority section is on. */
  #queue!: Queue;
  /** High-priority tasks on a worker. */
  #busyHigh = 0;
  #fleet!: Fleet;
  #db!: DbConnections;
  #monitor!: HealthMonitor;
  #autoscaler!: Autoscaler;
  /** The edge rate limit: a token bucket in virtual time. */
  #rateLimiter: TokenBucket | undefined;
  #routers: RouterPool | undefined;
  #service!: ServiceTimeSampler;
  #errorDraws!: Random;
  #latencyDraws!: Random;
  #routerDraws!: Random;
  #garbageDraws!: Random;

  constructor(config: MockConfig, options: ServiceOptions) {
    this.#initial = checkMockConfig(config);
    this.#seed = options.seed;
    this.#build();
  }

  get now(): number {
    return this.sim.now;
  }

  /** The effective config (base plus active faults). Do not mutate. */
  get config(): MockConfig {
    return this.#config;
  }

  /** Runs every event due at or before `to` (virtual ms). */
  advance(to: number): void {
    this.sim.advance(to);
  }

  /**
   * A request arrives now. `respond` is called once when its answer is due (possibly before this returns).
   * `high`: the request asked for high priority; it counts only while the priority section is on.
   */
  arrive(respond: Respond, high = false): Task {
    const now = this.sim.now;
    const c = this.#config;
    const task = new Task(this.#nextTaskId++, now, respond);
    this.#counters.arrived++;
    if (high && c.priority) {
      task.high = true;
      this.#counters.highArrived++;
    }
    this.#open.add(task);

    if (this.#rateLimiter && !this.#rateLimiter.take(now)) {
      this.#counters.rateLimited++;
      this.#answer(task, { status: 429, reason: 'rate-limited', retryAfter: wholeSeconds(this.#rateLimiter.waitMs(now)) });
      return task;
    }
    if (this.#routers) {
      const node = this.#routers.route(task);
      if (node === undefined) {
        this.#counters.noRouter++;
        this.#answer(task, { status: 503, reason: 'no-ready-router', retryAfter: 1 });
        return task;
      }
      // The request took its node past its memory limit: answered 502 with the node's other requests.
      if (task.detached) return task;
    }
    if (c.errors && this.#errorDraws.next() < c.errors.rate) {
      this.#counters.injectedErrors++;
      this.#answer(task, { status: c.errors.status, reason: 'injected-error' });
      return task;
    }
    const queue = this.#queue;
    const lanes = queue instanceof PriorityQueues ? queue : undefined;
    const serverFree = lanes && !task.high ? this.#normalMayStart() : this.#canStart();
    if (c.admission) {
      // With priority, each class is judged by the work ahead of it: a high task waits behind the high tasks
      // only, on every server; a normal one behind everything, on the servers not reserved.
      const servers = this.#servers();
      const verdict = admissionVerdict(c.admission, {
        queued: lanes ? lanes.ahead(task.high) : queue.length,
        serverFree,
        servers: lanes && !task.high ? Math.max(0, servers - c.priority!.reserved) : servers,
        meanServiceMs: meanServiceTime(c.fleet.serviceTime),
        timeout: c.queue.timeout,
      });
      if (verdict !== 'admit') {
        this.#counters.shed++;
        this.#answer(task, {
          status: 429,
          reason: verdict === 'deadline' ? 'shed-deadline' : 'shed-queue-limit',
          retryAfter: wholeSeconds(c.admission.retryAfter),
        });
        return task;
      }
    }
    if (serverFree) this.#start(task);
    else if (queue.length >= c.queue.maxLength) {
      this.#counters.queueFull++;
      this.#answer(task, { status: 503, reason: 'queue-full', retryAfter: 1 });
    } else queue.push(task);
    return task;
  }

  /** The client went away before its answer. Its task goes on unless queue.cancelOnDisconnect. */
  abandon(task: Task): void {
    if (task.detached || task.phase === 'done') return;
    this.#counters.abandoned++;
    this.#detach(task);
  }

  /**
   * Applies a config change as a layer over the base config and the earlier layers; returns the function
   * that removes it. Throws (changing nothing) if the result is not a valid config.
   */
  overlay(transform: Transform): () => void {
    const next = checkMockConfig(transform(structuredClone(this.#config)));
    const layer = { transform };
    this.#layers.push(layer);
    this.#reconfigure(next);
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.#layers = this.#layers.filter((l) => l !== layer);
      this.#reconfigure(this.#effectiveConfig());
    };
  }

  /** Fails `count` ready router nodes now (lowest ids first); they restart by themselves unless held down. */
  killRouters(count: number | 'all', holdDown: boolean): RouterNode[] {
    const routers = this.#routers;
    if (!routers) throw new Error('the routers section is off (turn it on with mock.routers, e.g. --mock routers.count=4)');
    const ready = routers.nodes.filter((n) => n.ready);
    const victims = count === 'all' ? ready : ready.slice(0, count);
    for (const node of victims) routers.fail(node, holdDown);
    return victims;
  }

  /** Router nodes in the pool, ready or not (with autoscale, not necessarily routers.count); 0 without routers. */
  routerNodes(): number {
    return this.#routers?.nodes.length ?? 0;
  }

  /** Brings killed router nodes back now (those still down and still part of the pool). */
  startRouters(nodes: RouterNode[]): void {
    for (const node of nodes) this.#routers?.start(node);
  }

  state(): ServiceState {
    const now = this.sim.now;
    const routers = this.#routers;
    return {
      t: now,
      config: this.#config,
      queued: this.#queue.length,
      busy: this.#fleet.busy,
      workers: this.#fleet.workers,
      routersReady: routers ? routers.readyCount() : null,
      routers: routers
        ? routers.nodes.map((n) => ({
            id: n.id,
            ready: n.ready,
            memory: Math.round(n.memory(now, routers.config)),
            inFlight: n.inFlight.size,
            failures: n.failures,
            failedAt: n.failedAt ?? null,
          }))
        : [],
      retiring: this.#fleet.retiring,
      provisioning: this.#autoscaler.provisioning,
      routersProvisioning: routers ? routers.provisioning : null,
      db: this.#config.db
        ? {
            capacity: this.#db.capacity(),
            inUse: this.#db.pooling ? this.#db.inUse : Math.min(this.#fleet.busy, this.#db.capacity()),
            waiting: this.#db.waiting,
          }
        : null,
      priority:
        this.#queue instanceof PriorityQueues
          ? { queuedHigh: this.#queue.high.length, queuedNormal: this.#queue.normal.length, busyHigh: this.#busyHigh }
          : null,
      counters: structuredClone(this.#counters),
    };
  }

  /** Back to the initial config with an empty queue, fresh routers and zero counters; time keeps running. */
  reset(): void {
    for (const task of [...this.#open]) this.#respond(task, { status: 503, reason: 'mock-reset' });
    this.sim.clear();
    this.#layers = [];
    this.#build();
  }

  #build(): void {
    const now = this.sim.now;
    const config = this.#initial;
    this.#config = config;
    this.#counters = emptyCounters();
    this.#queue = config.priority ? new PriorityQueues() : new TaskQueue();
    this.#busyHigh = 0;
    this.#fleet = new Fleet(config.fleet.workers, now);
    this.#db = new DbConnections(config.db);
    this.#service = new ServiceTimeSampler(new Random(this.#seed, 'mock.service'));
    this.#errorDraws = new Random(this.#seed, 'mock.errors');
    this.#latencyDraws = new Random(this.#seed, 'mock.latency');
    this.#routerDraws = new Random(this.#seed, 'mock.routers');
    this.#garbageDraws = new Random(this.#seed, 'mock.garbage');
    this.#monitor = new HealthMonitor(this.sim, () => this.#sweep());
    this.#autoscaler = new Autoscaler(
      this.sim,
      scalableFleet(
        this.#fleet,
        () => this.#dispatch(),
        () => this.#queue.length > 0,
      ),
    );
    this.#rateLimiter = config.rateLimit ? new TokenBucket(config.rateLimit.rate, config.rateLimit.burst, now) : undefined;
    this.#routers = config.routers ? this.#newRouterPool(config) : undefined;
    this.#monitor.reconfigure(config.queue);
    this.#autoscaler.reconfigure(fleetPolicy(config));
  }

  #newRouterPool(config: MockConfig): RouterPool {
    return new RouterPool(config.routers!, this.sim, this.#routerDraws, this.#garbageDraws, { lost: (tasks) => this.#routerLost(tasks) });
  }

  #effectiveConfig(): MockConfig {
    let config = this.#initial;
    for (const layer of this.#layers) {
      try {
        config = checkMockConfig(layer.transform(structuredClone(config)));
      } catch {
        // A layer that no longer fits (it changed a section another reverted fault had turned on) is skipped.
      }
    }
    return config;
  }

  #reconfigure(next: MockConfig): void {
    const prev = this.#config;
    const now = this.sim.now;
    this.#config = next;

    if (!next.rateLimit) this.#rateLimiter = undefined;
    else if (!this.#rateLimiter) this.#rateLimiter = new TokenBucket(next.rateLimit.rate, next.rateLimit.burst, now);
    else if (!same(prev.rateLimit, next.rateLimit)) this.#rateLimiter.reconfigure(next.rateLimit.rate, next.rateLimit.burst, now);

    if (!next.routers) {
      this.#routers?.close();
      this.#routers = undefined;
    } else if (!this.#routers) this.#routers = this.#newRouterPool(next);
    else if (!same(prev.routers, next.routers)) this.#routers.reconfigure(next.routers);

    if (next.fleet.workers !== prev.fleet.workers) this.#fleet.setWorkers(next.fleet.workers, now);
    this.#autoscaler.reconfigure(fleetPolicy(next));

    if (!same(prev.db, next.db)) {
      const { granted, unblocked } = this.#db.reconfigure(next.db);
      for (const task of granted) this.#hold(task);
      for (const task of unblocked) this.#work(task);
    }
    const priority = next.priority !== undefined;
    if (priority !== this.#queue instanceof PriorityQueues) this.#queue = requeue(this.#queue, priority);
    this.#monitor.reconfigure(next.queue);
    this.#dispatch();
  }

  #canStart(): boolean {
    return this.#fleet.hasIdleWorker() && this.#db.allowsStart(this.#fleet.busy);
  }

  /** Servers that can run at once: workers, capped by database connections without pooling. */
  #servers(): number {
    return Math.min(this.#fleet.workers, this.#db.pooling ? Infinity : this.#db.capacity());
  }

  /** Whether a normal-priority task may start: more than priority.reserved servers are free. */
  #normalMayStart(): boolean {
    return this.#fleet.busy + (this.#config.priority?.reserved ?? 0) < this.#servers();
  }

  /**
   * Starts queued tasks while a worker (and, without pooling, a connection) is free; with priority, high
   * tasks first, normal ones only while more than `reserved` servers are free.
   */
  #dispatch(): void {
    const now = this.sim.now;
    const queue = this.#queue;
    const priority = this.#config.priority !== undefined;
    while (queue.length > 0 && this.#canStart()) {
      const task = queue.take(now, this.#config.queue, !priority || this.#normalMayStart());
      if (task === undefined) return;
      this.#start(task);
    }
  }

  #start(task: Task): void {
    const now = this.sim.now;
    const timeout = this.#config.queue.timeout;
    task.phase = 'service';
    task.startedAt = now;
    task.queueMs = now - task.arrivedAt;
    if (timeout !== undefined && task.queueMs >= timeout) this.#counters.expiredServed++;
    this.#fleet.acquire(now);
    if (task.high) this.#busyHigh++;
    task.workMs = this.#service.sample(this.#config.fleet.serviceTime);
    if (!this.#db.pooling) this.#work(task);
    else if (this.#db.tryAcquire()) this.#hold(task);
    else this.#db.wait(task);
  }

  /** The task has its pooled connection: it holds it for the first holdTime of its work. */
  #hold(task: Task): void {
    task.db = 'holding';
    task.dbWaitMs = this.sim.now - task.startedAt;
    const release = this.sim.after(Math.min(this.#db.holdTime(), task.workMs), () => this.#releaseConnection(task));
    task.pending = this.sim.after(task.workMs, () => this.#complete(task));
    task.dbRelease = release;
  }

  #work(task: Task): void {
    task.dbWaitMs = this.sim.now - task.startedAt;
    task.pending = this.sim.after(task.workMs, () => this.#complete(task));
  }

  #releaseConnection(task: Task): void {
    task.db = 'none';
    task.dbRelease = undefined;
    for (const next of this.#db.release()) this.#hold(next);
  }

  #complete(task: Task): void {
    const now = this.sim.now;
    this.#fleet.release(now);
    task.pending = undefined;
    this.#counters.served++;
    if (task.high) {
      this.#busyHigh--;
      this.#counters.highServed++;
    }
    if (task.detached) {
      this.#counters.wastedServed++;
      task.phase = 'done';
    } else {
      const reply: Reply = { status: 200, reason: 'served', queueMs: task.queueMs, serviceMs: now - task.startedAt };
      if (this.#db.pooling || task.dbWaitMs > 0) reply.dbWaitMs = task.dbWaitMs;
      this.#answer(task, reply);
    }
    this.#dispatch();
  }

  /** The health monitor's sweep: every task that waited at least queue.timeout gets 504. */
  #sweep(): void {
    const timeout = this.#config.queue.timeout;
    if (timeout === undefined) return;
    const now = this.sim.now;
    for (const task of this.#queue.takeExpired(now, timeout)) {
      this.#counters.timedOut++;
      task.queueMs = now - task.arrivedAt;
      if (task.detached) task.phase = 'done';
      else this.#answer(task, { status: 504, reason: 'queue-timeout', queueMs: task.queueMs });
    }
  }

  /** A router node failed: its in-flight requests get 502 at once, and their tasks are detached. */
  #routerLost(tasks: Task[]): void {
    this.#counters.nodeFailures++;
    for (const task of tasks) {
      if (task.detached) continue;
      this.#counters.routerFailures++;
      this.#respond(task, { status: 502, reason: 'router-failed' });
      // The arriving request that overflowed the node never got past it; others are already inside.
      if (task.phase === 'arriving') {
        task.detached = true;
        task.phase = 'done';
      } else this.#detach(task);
    }
  }

  /** Nobody listens any more; the task is cancelled only with queue.cancelOnDisconnect. */
  #detach(task: Task): void {
    task.detached = true;
    this.#open.delete(task);
    // The HTTP layer's answer closure holds the request, the response and the socket (~5.7 KB); an
    // abandoned task may wait in the queue for a long time, so it lets them go.
    task.respond = NO_ANSWER;
    task.node?.release(task);
    if (this.#config.queue.cancelOnDisconnect) this.#cancel(task);
  }

  #cancel(task: Task): void {
    if (task.phase === 'queued') {
      this.#queue.remove(task);
      this.#counters.cancelled++;
    } else if (task.phase === 'service') {
      task.pending?.cancel();
      task.pending = undefined;
      if (task.db === 'waiting') this.#db.removeWaiter(task);
      if (task.db === 'holding') {
        task.dbRelease?.cancel();
        this.#releaseConnection(task);
      }
      task.phase = 'done';
      this.#fleet.release(this.sim.now);
      if (task.high) this.#busyHigh--;
      this.#counters.cancelled++;
      this.#dispatch();
    }
  }

  /** Answers after the added latency, if any; the task stays in flight on its router meanwhile. */
  #answer(task: Task, reply: Reply): void {
    const latency = this.#config.latency;
    if (!latency) return this.#deliverNow(task, reply);
    const delay = Math.max(0, latency.add + this.#latencyDraws.uniform(-latency.jitter, latency.jitter));
    if (delay <= 0) return this.#deliverNow(task, reply);
    reply.delayMs = delay;
    task.phase = 'replying';
    task.pending = this.sim.after(delay, () => this.#deliverNow(task, reply));
  }

  /** The task's final answer: it leaves its router, and its client (if still there) gets the reply. */
  #deliverNow(task: Task, reply: Reply): void {
    task.phase = 'done';
    task.pending = undefined;
    task.node?.release(task);
    this.#respond(task, reply);
  }

  /** Sends the client its one answer, if it still waits for one. */
  #respond(task: Task, reply: Reply): void {
    if (!this.#open.delete(task)) return;
    reply.arrivedAt = task.arrivedAt;
    const key = String(reply.status);
    this.#counters.responses[key] = (this.#counters.responses[key] ?? 0) + 1;
    task.respond(reply, task.id);
  }
}

function fleetPolicy(config: MockConfig): ScalePolicy | undefined {
  return scalePolicy(config.fleet.autoscale, (a) => a.targetUtilization);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Retry-After is whole seconds, at least 1. */
function wholeSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
