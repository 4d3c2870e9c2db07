// The bundled mock in the load generator's own process, for virtual time (run/virtual-run.ts): its model
// behind core/transport.ts's Transport instead of a socket, so the load side's dispatcher sends to it exactly
// as it sends through undici. This is the mock's adapter of its own model, as server.ts is its HTTP adapter;
// the load side reaches it through this file only (eslint.boundaries.js). Whoever drives it keeps one
// agenda: `nextAt()` is the model's next event, `advance(t)` runs everything due by t.
//
// What it models of the way between client and service:
// - the client's connections as undici's: the open model's pool carries at most `connections` requests at
//   once, the rest wait in order; a closed-model user's lane (user i on lane i mod connections) one at a time;
// - a network round trip, `rttMs` of incident time, half on the way in and half on the way back. It must be
//   above zero: closed users against a service that refuses at once would otherwise loop forever at one
//   instant;
// - an abort (the client's deadline, a stop) as a disconnect the service hears half a round trip later
//   (the model's abandon: the task goes on unless queue.cancelOnDisconnect);
// - the answer as server.ts writes it (reply.ts): status, Retry-After, Server-Timing, the JSON body.
// What it does not: connection set-up, TCP, a generator that falls behind. The faults of the run apply
// at their incident times on the model's clock, and the state is sampled at every window's end, as the
// run's companion does over HTTP.
import { STATUS_CODES } from 'node:http';
import type { Dispatch, ExchangeHandler, OutgoingRequest, Transport } from '../core/transport.js';
import { checkMockConfig, type MockConfig } from './config/index.js';
import { FaultInjector } from './faults/injector.js';
import { SimulatedService } from './model/simulated-service.js';
import type { ScheduledEvent } from './model/simulation.js';
import type { Reply, Task } from './model/task.js';
import { asksHighPriority, replyMessage } from './reply.js';

export interface InProcessOptions {
  seed: number;
  /** The client's network round trip, incident ms: above zero. */
  rttMs: number;
  /** The open model's pool: the most requests on the way at once (the client's `connections`). */
  connections: number;
}

/** A fault of the run, and what became of it. */
export interface InProcessFault {
  at: number;
  fault: string;
  params: Record<string, unknown>;
  error?: string;
}

/** The state at a window's end, as the companion samples it over HTTP. */
export interface InProcessSample {
  queued: number;
  busy: number;
  workers: number;
  routersReady: number | null;
}

export class InProcessMock {
  readonly service: SimulatedService;
  readonly injector: FaultInjector;
  readonly transport: Transport;
  readonly #faults: InProcessFault[] = [];
  readonly #samples = new Map<number, InProcessSample>();

  constructor(config: MockConfig, options: InProcessOptions) {
    if (!(Number.isFinite(options.rttMs) && options.rttMs > 0)) throw new Error(`the round trip must be a number of ms above zero, got ${options.rttMs}`);
    this.service = new SimulatedService(checkMockConfig(config), { seed: options.seed });
    this.injector = new FaultInjector(this.service);
    this.transport = new ModelTransport(this.service, options);
  }

  /** The model's next event, incident ms (Infinity: none). */
  nextAt(): number {
    return this.service.sim.nextAt();
  }

  /** Runs every event due at or before `t`. */
  advance(t: number): void {
    this.service.advance(t);
  }

  /** The faults, each applied at its time on the model's clock (or refused, with the mock's reason). */
  scheduleFaults(faults: readonly { at: number; fault: string; params: Record<string, unknown> }[]): void {
    for (const f of [...faults].sort((a, b) => a.at - b.at)) {
      const record: InProcessFault = { at: f.at, fault: f.fault, params: f.params };
      this.#faults.push(record);
      this.service.sim.at(f.at, () => {
        try {
          this.injector.inject({ fault: f.fault, ...f.params });
        } catch (err) {
          record.error = `the mock refused it: ${err instanceof Error ? err.message : String(err)}`;
        }
      });
    }
  }

  /** Samples the state at the end of each `windowMs` window up to `totalMs`. */
  sampleWindows(windowMs: number, totalMs: number): void {
    const windows = Math.max(1, Math.ceil(totalMs / windowMs));
    for (let i = 0; i < windows; i++) {
      this.service.sim.at(Math.min((i + 1) * windowMs, totalMs), () => {
        const s = this.service.state();
        this.#samples.set(i, { queued: s.queued, busy: s.busy, workers: s.workers, routersReady: s.routersReady });
      });
    }
  }

  /** Every fault given: applied, refused, or not reached (`endMs`: where the run stopped). */
  faults(endMs: number): InProcessFault[] {
    return this.#faults.map((f) => (f.at > endMs && f.error === undefined ? { ...f, error: 'the run ended before its time' } : f));
  }

  samples(): ReadonlyMap<number, InProcessSample> {
    return this.#samples;
  }
}

type Stage = 'waiting' | 'inbound' | 'service' | 'outbound' | 'done';

/** One request on its way: waiting for a connection, on the way in, at the service, on the way back. */
class Exchange {
  stage: Stage = 'waiting';
  event: ScheduledEvent | undefined;
  task: Task | undefined;
  readonly abort = (err?: Error): void => this.lane.abort(this, err);

  constructor(
    readonly lane: Lane,
    readonly request: OutgoingRequest,
    readonly handler: ExchangeHandler,
  ) {}
}

const NO_RESUME = (): void => {};
const HEADER_NAMES = new Map<string, Buffer>();

/** A client's connections: at most `limit` exchanges on the way, the rest waiting in order. */
class Lane implements Dispatch {
  #busy = 0;
  readonly #waiting: Exchange[] = [];
  #head = 0;

  constructor(
    readonly model: ModelTransport,
    readonly limit: number,
  ) {}

  dispatch(request: OutgoingRequest, handler: ExchangeHandler): boolean {
    const x = new Exchange(this, request, handler);
    handler.onConnect?.(x.abort);
    if (x.stage !== 'waiting') return true; // aborted at once
    if (this.#busy < this.limit) this.#start(x);
    else this.#waiting.push(x);
    return true;
  }

  abort(x: Exchange, err: Error | undefined): void {
    const stage = x.stage;
    if (stage === 'done') return;
    x.stage = 'done';
    x.event?.cancel();
    x.event = undefined;
    if (stage === 'waiting') {
      const i = this.#waiting.indexOf(x, this.#head);
      if (i >= 0) this.#waiting.splice(i, 1);
    } else {
      // The disconnect reaches the service half a round trip later; its connection is free at once.
      if (stage === 'service' && x.task) {
        const task = x.task;
        this.model.service.sim.after(this.model.halfRtt, () => this.model.service.abandon(task));
      }
      this.#free();
    }
    x.handler.onError?.(err ?? new Error('aborted'));
  }

  #start(x: Exchange): void {
    this.#busy++;
    x.stage = 'inbound';
    const model = this.model;
    x.event = model.service.sim.after(model.halfRtt, () => this.#arrive(x));
  }

  #arrive(x: Exchange): void {
    x.event = undefined;
    x.stage = 'service';
    const model = this.model;
    const service = model.service;
    const task = service.arrive(
      (reply, taskId) => this.#reply(x, reply, taskId),
      asksHighPriority(service.config, (name) => headerOf(x.request, name)),
    );
    if (x.stage === 'service') x.task = task;
  }

  #reply(x: Exchange, reply: Reply, taskId: number): void {
    if (x.stage !== 'service') return;
    x.stage = 'outbound';
    x.task = undefined;
    x.event = this.model.service.sim.after(this.model.halfRtt, () => this.#deliver(x, reply, taskId));
  }

  #deliver(x: Exchange, reply: Reply, taskId: number): void {
    x.event = undefined;
    x.stage = 'done';
    // The connection is free before the client hears the end, so its next request (a closed user's,
    // sent from this answer) finds it free, as it would the moment undici releases it.
    this.#free();
    const message = replyMessage(reply, taskId);
    const raw: Buffer[] = [];
    for (const [name, value] of message.headers) raw.push(headerName(name), Buffer.from(value));
    const h = x.handler;
    h.onHeaders?.(message.status, raw, NO_RESUME, STATUS_CODES[message.status] ?? '');
    h.onData?.(Buffer.from(message.body));
    h.onComplete?.(null);
  }

  #free(): void {
    this.#busy--;
    while (this.#busy < this.limit && this.#head < this.#waiting.length) {
      const next = this.#waiting[this.#head++]!;
      if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
        this.#waiting.splice(0, this.#head);
        this.#head = 0;
      }
      this.#start(next);
    }
  }
}

/** The model as undici's pool, per-user clients and agent. */
class ModelTransport implements Transport {
  readonly shared: Lane;
  readonly halfRtt: number;
  readonly #lanes: Lane[] = [];
  readonly #connections: number;
  #elsewhere: Dispatch | undefined;

  constructor(
    readonly service: SimulatedService,
    options: InProcessOptions,
  ) {
    this.halfRtt = options.rttMs / 2;
    this.#connections = Math.max(1, options.connections);
    this.shared = new Lane(this, this.#connections);
  }

  lane(user: number): Dispatch {
    const i = user % this.#connections;
    return (this.#lanes[i] ??= new Lane(this, 1));
  }

  /** The mock never redirects: another origin has no service behind it here. */
  elsewhere(): Dispatch {
    return (this.#elsewhere ??= {
      dispatch: (_request, handler) => {
        this.service.sim.after(0, () => handler.onError?.(Object.assign(new Error('no other origin in a virtual run'), { code: 'ENOTFOUND' })));
        return true;
      },
    });
  }

  async close(): Promise<void> {}
}

/** A request's header by its lower-case name. */
function headerOf(request: OutgoingRequest, name: string): string | undefined {
  for (const [key, value] of Object.entries(request.headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

function headerName(name: string): Buffer {
  let buffer = HEADER_NAMES.get(name);
  if (!buffer) HEADER_NAMES.set(name, (buffer = Buffer.from(name)));
  return buffer;
}
