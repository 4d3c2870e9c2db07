// How requests reach the wire (core/transport.ts's Transport over sockets): undici, with the connections a run will need opened before it starts.
// The open model shares one Pool; each closed-model user has a Client of its own (user i on client
// i mod connections); redirects to another origin go through an Agent. All three take their sockets
// from a stash opened ahead of time (preconnect) before they open any of their own, so that the first
// second of a run does not pay for TCP and TLS handshakes — nor, worse, cascade: while one connection
// is being set up, the Pool counts it busy and opens another for the next arrival, and a generator that
// falls behind by a few milliseconds at start ends up opening every connection it is allowed.
import { Agent, buildConnector, Client, Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { Socket } from 'node:net';
import type { Transport } from '../core/transport.js';

export interface TransportOptions {
  origin: string;
  /** The pool's size: the most connections the open model (and the closed users' clients) may open. */
  connections: number;
  /** Connection time-out, wall ms. */
  connectTimeoutWallMs: number;
  tls: { rejectUnauthorized: boolean; ca?: string | undefined };
}

/** Opened sockets waiting for a client to take them; dropped when they die while waiting. */
class SocketStash {
  readonly #sockets: Socket[] = [];

  put(socket: Socket): void {
    socket.on('error', ignore);
    this.#sockets.push(socket);
  }

  take(): Socket | undefined {
    for (let socket = this.#sockets.pop(); socket; socket = this.#sockets.pop()) {
      socket.off('error', ignore);
      if (!socket.destroyed && socket.readyState === 'open') return socket;
      socket.destroy();
    }
    return undefined;
  }

  get size(): number {
    return this.#sockets.length;
  }

  destroy(): void {
    for (const socket of this.#sockets.splice(0)) socket.destroy();
  }
}

function ignore(): void {}

export class UndiciTransport implements Transport {
  readonly shared: Pool;
  readonly #options: TransportOptions;
  readonly #clientOptions: Client.Options;
  readonly #connect: buildConnector.connector;
  readonly #stash = new SocketStash();
  readonly #clients: (Client | undefined)[] = [];
  #elsewhere: Agent | undefined;

  constructor(options: TransportOptions) {
    this.#options = options;
    const connect = buildConnector({
      timeout: options.connectTimeoutWallMs,
      rejectUnauthorized: options.tls.rejectUnauthorized,
      ...(options.tls.ca !== undefined ? { ca: options.tls.ca } : {}),
    });
    this.#connect = connect;
    const origin = new URL(options.origin);
    // A stashed socket serves only its own origin; anything else connects as undici would.
    const fromStash: buildConnector.connector = (opts, callback) => {
      const socket = opts.hostname === origin.hostname && String(opts.port || defaultPort(opts.protocol)) === portOf(origin) ? this.#stash.take() : undefined;
      // Called back on a later tick, as a connector that has to wait is: undici's client is not re-entrant here.
      if (socket) queueMicrotask(() => callback(null, socket));
      else connect(opts, callback);
    };
    this.#clientOptions = {
      pipelining: 1,
      // Our own per-attempt deadline is the only timeout: undici's defaults (300 s) would fire at
      // wall-clock times that mean nothing at --speed 60.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: fromStash,
    };
    this.shared = new Pool(options.origin, { ...this.#clientOptions, connections: options.connections });
    // The pool reports failed connections as events too; the outcome already reaches the handler.
    this.shared.on('connectionError', ignore);
  }

  /**
   * Opens `count` connections to the origin now (at most the pool's size), for the run's first requests
   * to find ready. Resolves with how many opened and the median time one took; a connection that fails
   * is not an error here — the run's own requests will meet the same failure and count it.
   */
  async preconnect(count: number): Promise<{ opened: number; connectWallMs: number | undefined }> {
    const n = Math.max(0, Math.min(count, this.#options.connections));
    const origin = new URL(this.#options.origin);
    const times: number[] = [];
    await Promise.all(
      Array.from(
        { length: n },
        () =>
          new Promise<void>((resolve) => {
            const started = performance.now();
            this.#connect(
              {
                hostname: origin.hostname,
                host: origin.host,
                protocol: origin.protocol,
                port: portOf(origin),
                servername: undefined,
                localAddress: null,
                httpSocket: undefined,
              },
              (err, socket) => {
                if (!err && socket) {
                  times.push(performance.now() - started);
                  this.#stash.put(socket as Socket);
                }
                resolve();
              },
            );
          }),
      ),
    );
    times.sort((a, b) => a - b);
    return { opened: times.length, connectWallMs: times.length ? times[times.length >> 1] : undefined };
  }

  /** Closes the connections opened ahead that no client has taken. */
  dropStash(): void {
    this.#stash.destroy();
  }

  /** Connections opened ahead and not yet taken. */
  get stashed(): number {
    return this.#stash.size;
  }

  lane(user: number): Dispatcher {
    const i = user % this.#options.connections;
    let client = this.#clients[i];
    if (!client) {
      client = new Client(this.#options.origin, this.#clientOptions);
      client.on('connectionError', ignore);
      this.#clients[i] = client;
    }
    return client;
  }

  elsewhere(): Dispatcher {
    return (this.#elsewhere ??= new Agent({ ...this.#clientOptions, connect: this.#connect, connections: this.#options.connections }));
  }

  async close(): Promise<void> {
    this.#stash.destroy();
    await Promise.all([this.shared.destroy(), this.#elsewhere?.destroy(), ...this.#clients.map((c) => c?.destroy())]);
  }
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

function portOf(url: URL): string {
  return url.port || defaultPort(url.protocol);
}
