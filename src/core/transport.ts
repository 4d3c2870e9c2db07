// How a request reaches a service, narrowed to the one operation the load side uses: undici's
// dispatch(request, handler), with undici's own (legacy) handler shape, so that an Attempt goes to undici as
// it is — no wrapper, no allocation per request — and to a simulated service (mock/in-process.ts) the same
// way. Two implementations: dispatch/undici-transport.ts (sockets) and the bundled mock's model in process.
//
// The calling contract, which both keep: onHeaders, onData, onComplete and onError are never called before
// dispatch() returns (onConnect may be); after onComplete or onError nothing more is called, except that an
// abort may be followed by an onError, which a handler already settled ignores.

/** A request as sent: origin (scheme://host:port), method, path with query, headers, body. */
export interface OutgoingRequest {
  origin?: string | URL;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer | Uint8Array | null;
}

/** What hears the exchange: undici's handler shape. */
export interface ExchangeHandler {
  onConnect?(abort: (err?: Error) => void): void;
  onHeaders?(status: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean;
  onData?(chunk: Buffer): boolean;
  onComplete?(trailers: string[] | null): void;
  onError?(err: Error): void;
}

/** One lane of requests: a pool, a client, an agent. */
export interface Dispatch {
  dispatch(request: OutgoingRequest, handler: ExchangeHandler): boolean;
}

/** What the dispatcher sends through. */
export interface Transport {
  /** The open model's shared lane. */
  readonly shared: Dispatch;
  /** Closed-model user `user`'s own lane. */
  lane(user: number): Dispatch;
  /** Any origin (a redirect elsewhere). */
  elsewhere(): Dispatch;
  close(): Promise<void>;
}
