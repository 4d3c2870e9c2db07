// The proxy in this process: the traffic port in front of the upstream, the control port with the same
// API as the mock's (src/mock/control.ts serves both), the faults and the counters. `createProxy` is the
// library API and what `incident-load proxy` runs in the foreground; `startProxy` (launch.ts) runs the
// same in a child process, as `ramp --via-proxy` does.
import type { Server } from 'node:http';
import { checkControlToken, newControlToken } from '../mock/control-api.js';
import { createControlServer, type ControlSurface } from '../mock/control.js';
import { closeServer, listen, urlFor } from '../mock/http-util.js';
import { ProxyCounters } from './counters.js';
import { Effects } from './effects.js';
import type { AppliedFault, FaultEvent } from '../core/fault-injector.js';
import { ProxyFaultInjector } from './faults/injector.js';
import { createTrafficServer } from './traffic.js';
import { BODY_IDLE_MS, UploadSlots } from './request-body.js';
import { Upstream, type UpstreamOptions } from './upstream.js';

export interface ProxyOptions {
  upstream: string;
  /** Give up on the upstream's headers after this long, wall ms (default 60 s). */
  upstreamTimeoutMs?: number;
  /** Most connections to the upstream (default 1024); streamed uploads may hold three quarters of them. */
  upstreamConnections?: number;
  /** Give up on a request body that stops coming for this long, wall ms: 408 (default 60 s). */
  bodyTimeoutMs?: number;
  insecure?: boolean;
  ca?: string;
  /** Where both ports listen: 127.0.0.1 (default) or another address given on purpose (--host). */
  host?: string;
  port?: number;
  controlPort?: number;
  token?: string;
  /** Seed of the faults' shares. */
  seed?: number;
  onFault?: (event: FaultEvent) => void;
}

export interface ProxyAddress {
  url: string;
  controlUrl: string;
  token: string;
}

/** `GET /state`: what the load side samples (inFlight, queued, held, active, requests, addedMs) and more. */
export interface ProxyState {
  /** Ms since the proxy started (wall time: the proxy keeps no other). */
  t: number;
  speed: 1;
  seed: number;
  upstream: string;
  requests: number;
  forwarded: number;
  /** Requests at the upstream now (sent, answer not complete). */
  inFlight: number;
  /** Requests waiting at a cap-connections now. */
  queued: number;
  /** Requests held by a request-direction add-latency now. */
  delaying: number;
  /** Requests held by a blackhole now. */
  held: number;
  /** Requests whose body is being read now, before they go on. */
  reading: number;
  /** Uploads streaming to the upstream now, and waiting for a place to (streamed uploads may hold three quarters of the connections). */
  uploads: { streaming: number; waiting: number };
  /** Faults active now. */
  active: number;
  resets: number;
  /** Wall ms added on purpose to the requests that finished, in total, and how many of them had some. */
  addedMs: number;
  delayed: number;
  abandoned: number;
  /** Answers the proxy made itself, by reason (the x-incident-load-proxy header). */
  answered: Record<string, number>;
  /** The connections to the upstream: requests waiting for one, connections carrying a request, connections open. */
  pool: { queued: number; running: number; connected: number };
  faults: AppliedFault[];
}

export class Proxy implements ControlSurface {
  readonly program = 'proxy';
  readonly token: string;
  readonly seed: number;
  readonly effects = new Effects();
  readonly counters = new ProxyCounters();
  readonly injector: ProxyFaultInjector;
  readonly upstream: Upstream;
  readonly uploads: UploadSlots;
  readonly bodyIdleMs: number;
  readonly #host: string;
  readonly #port: number;
  readonly #controlPort: number;
  #traffic: Server | undefined;
  #control: Server | undefined;

  constructor(options: ProxyOptions) {
    this.token = options.token === undefined ? newControlToken() : checkControlToken(options.token, 'token');
    this.seed = options.seed ?? 1;
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port ?? 0;
    this.#controlPort = options.controlPort ?? 0;
    const upstream: UpstreamOptions = {
      url: options.upstream,
      timeoutMs: options.upstreamTimeoutMs ?? 60_000,
      connections: options.upstreamConnections ?? 1024,
      insecure: options.insecure,
      ca: options.ca,
    };
    this.upstream = new Upstream(upstream);
    this.uploads = new UploadSlots(Math.max(1, Math.floor((upstream.connections * 3) / 4)));
    this.bodyIdleMs = options.bodyTimeoutMs ?? BODY_IDLE_MS;
    this.injector = new ProxyFaultInjector(this.effects, this.seed);
    if (options.onFault) this.injector.onEvent(options.onFault);
  }

  async listen(): Promise<ProxyAddress> {
    this.#traffic = createTrafficServer(this);
    this.#control = createControlServer(this);
    try {
      await listen(this.#traffic, this.#host, this.#port);
      // The control API is loopback-only whatever --host says (its guard refuses anyone else, too).
      await listen(this.#control, isLoopbackAddress(this.#host) ? this.#host : '127.0.0.1', this.#controlPort);
    } catch (err) {
      await this.close();
      throw err;
    }
    return { url: urlFor(this.#traffic), controlUrl: urlFor(this.#control), token: this.token };
  }

  async close(): Promise<void> {
    this.injector.revertAll();
    await Promise.all([this.#traffic, this.#control].filter((s) => s !== undefined).map((s) => closeServer(s)));
    await this.upstream.close();
  }

  state(): ProxyState {
    const c = this.counters;
    let queued = 0;
    for (const cap of this.effects.caps) queued += cap.queued;
    return {
      t: this.injector.now(),
      speed: 1,
      seed: this.seed,
      upstream: this.upstream.origin + this.upstream.basePath,
      requests: c.requests,
      forwarded: c.forwarded,
      inFlight: c.inFlight,
      queued,
      delaying: c.delaying,
      held: c.held,
      reading: c.reading,
      uploads: { streaming: this.uploads.streaming, waiting: this.uploads.waiting },
      active: this.injector.activeCount,
      resets: c.resets,
      addedMs: Math.round(c.addedMs * 1000) / 1000,
      delayed: c.delayed,
      abandoned: c.abandoned,
      answered: { ...c.answered },
      pool: this.upstream.stats(),
      faults: this.injector.list(),
    };
  }

  faults(): AppliedFault[] {
    return this.injector.list();
  }

  inject(input: unknown): AppliedFault {
    return this.injector.inject(input);
  }

  revert(id: number): AppliedFault {
    return this.injector.revert(id);
  }
}

function isLoopbackAddress(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

export function createProxy(options: ProxyOptions): Proxy {
  return new Proxy(options);
}
