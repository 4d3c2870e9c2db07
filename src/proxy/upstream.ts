// The proxy's side toward the upstream: a node:http keep-alive Agent to its origin (connections reused
// across requests), one request at a time on each connection, and what each way of failing is called in
// the answer the client gets instead. The proxy never crashes on an upstream: a refused, reset, hung or
// garbled one becomes a 502 or 504 whose `x-incident-load-proxy` header says which.
//
// Why node:http and not undici (which the load side uses): RFC 9110 §15.2 has a client parse the 1xx
// answers it did not ask for, and some servers send a `100 Continue` unasked before their final answer.
// undici's HTTP/1.1 client refuses a 100 as a bad response and closes the connection (client-h1.js, "bad
// response"; nodejs/undici#197, left unsupported), with no option to accept it: through it the client
// got a 502. node:http's client skips every 1xx (102, 103 and 100 alike), and it reads an answer the
// upstream sends before the request's body is all sent, which a proxy must pass on (see `pump`).
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { connectUpstream } from './upstream-socket.js';

export interface UpstreamOptions {
  /** http(s) URL of the service; its path, if any, is prefixed to every request's. */
  url: string;
  /** Give up on an upstream that has sent no response headers after this long (wall ms): 504. */
  timeoutMs: number;
  /** Most connections to the upstream at once (beyond it, requests wait in the Agent's queue). */
  connections: number;
  /** Accept any TLS certificate from an https upstream. */
  insecure?: boolean;
  /** Trust these CAs (PEM) for an https upstream, besides the system's. */
  ca?: string;
}

/** What one request to the upstream reports, in order; `onError` or `onComplete` ends it, once. */
export interface UpstreamHandler {
  /** The request is under way; `abort(reason)` ends it, and `onError(reason)` follows. */
  onConnect(abort: (err?: Error) => void): void;
  /** The final answer's head (never a 1xx). Returning false pauses the body until `resume()`. */
  onHeaders(status: number, rawHeaders: string[], resume: () => void, statusText: string): boolean;
  /** A piece of the body; returning false pauses the upstream until `resume()`. */
  onData(chunk: Buffer): boolean;
  onComplete(rawTrailers: string[] | null): void;
  onError(err: Error): void;
}

/** A request body streamed: what was read of it already, then the rest as it comes. */
export interface StreamedBody {
  head: Buffer[];
  rest: Readable;
}

export interface UpstreamRequest {
  method: string;
  path: string;
  /** A flat [name, value, ...] list, Host and the body's framing (content-length or transfer-encoding) in it. */
  headers: string[];
  /** None, the whole body, or a body streamed. */
  body: Buffer | StreamedBody | null;
}

/** An error with a code, as node's own carry one. */
function coded(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

/** Idle keep-alive connections are closed after this long, before a server's own idle timeout (often 5 s) can race a request onto one it is closing (undici's default, 4 s). */
const IDLE_KEEP_ALIVE_MS = 4000;

/**
 * A connection back in the pool carries no request: bytes arriving on it are a broken upstream's (an
 * answer longer than it said, or one sent twice). The connection is closed, as undici closes it, rather
 * than the bytes being read as the next request's answer (a desync).
 */
function closeOnStrayBytes(this: Socket): void {
  this.destroy();
}

export class Upstream {
  readonly agent: http.Agent;
  /** The Host header the upstream is sent: its own. */
  readonly host: string;
  /** The upstream URL's path without its trailing slash ("" for "/"): prefixed to every path. */
  readonly basePath: string;
  readonly origin: string;
  readonly #url: URL;
  readonly #request: typeof http.request;

  constructor(readonly options: UpstreamOptions) {
    const url = new URL(options.url);
    this.#url = url;
    this.origin = url.origin;
    this.host = url.host;
    this.basePath = url.pathname.replace(/\/+$/, '');
    const agentOptions: http.AgentOptions = {
      keepAlive: true,
      maxSockets: options.connections,
      maxFreeSockets: options.connections,
      timeout: IDLE_KEEP_ALIVE_MS,
    };
    if (url.protocol === 'https:') {
      this.agent = new https.Agent({ ...agentOptions, rejectUnauthorized: !options.insecure, ...(options.ca ? { ca: options.ca } : {}) });
      this.#request = https.request;
    } else {
      this.agent = new http.Agent(agentOptions);
      // An answer that arrived before a write failed is read, not lost (upstream-socket.ts).
      this.agent.createConnection = connectUpstream;
      this.#request = http.request;
    }
    this.agent.on('free', (socket: Socket) => {
      if (!socket.destroyed) socket.once('data', closeOnStrayBytes);
    });
  }

  /** Requests waiting for a connection, connections carrying a request, and connections open. */
  stats(): { queued: number; running: number; connected: number } {
    const count = (pool: NodeJS.ReadOnlyDict<readonly unknown[]>): number => {
      let n = 0;
      for (const list of Object.values(pool)) n += list?.length ?? 0;
      return n;
    };
    const running = count(this.agent.sockets);
    return { queued: count(this.agent.requests), running, connected: running + count(this.agent.freeSockets) };
  }

  /** Sends one request; everything that happens is reported to `handler`. */
  send(request: UpstreamRequest, handler: UpstreamHandler): void {
    const url = this.#url;
    let settled = false;
    const timers = new Timers();
    let upReq: http.ClientRequest;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      timers.clear();
      handler.onError(err);
    };
    try {
      upReq = this.#request({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        method: request.method,
        path: request.path,
        // A flat list is written as it is, names and order kept (node:http adds Host only to an object).
        headers: request.headers as unknown as http.OutgoingHttpHeaders,
        agent: this.agent,
      });
    } catch (err) {
      // A method, path or header node:http will not write.
      handler.onConnect(() => undefined);
      return fail(err as Error);
    }
    // Before anything can destroy it: a destroyed request emits 'error', which must have a listener.
    upReq.on('error', fail);
    const abort = (err?: Error): void => {
      fail(err ?? coded('ECONNABORTED', 'aborted'));
      upReq.destroy();
    };
    handler.onConnect(abort);
    if (settled) return;
    upReq.on('socket', (socket) => {
      socket.off('data', closeOnStrayBytes);
      if (!socket.connecting) return;
      timers.connect = setTimeout(
        () => abort(coded('UND_ERR_CONNECT_TIMEOUT', 'no connection to the upstream in time')),
        Math.min(this.options.timeoutMs, 10_000),
      );
      socket.once('connect', () => clearTimeout(timers.connect));
    });
    // 1xx answers ('information', 'continue') are skipped by node:http itself: no listener needed.
    upReq.on('response', (upRes) => {
      clearTimeout(timers.connect);
      // The body may pause this long between pieces (not while the proxy itself holds it back).
      let paused = false;
      const idle = (): void => {
        clearTimeout(timers.body);
        if (!paused && !settled)
          timers.body = setTimeout(() => abort(coded('UND_ERR_BODY_TIMEOUT', 'the upstream body paused too long')), this.options.timeoutMs);
      };
      const resume = (): void => {
        if (settled || !paused) return;
        paused = false;
        idle();
        upRes.resume();
      };
      const pause = (): void => {
        paused = true;
        clearTimeout(timers.body);
        upRes.pause();
      };
      upRes.on('error', fail);
      upRes.on('close', () => {
        if (!upRes.complete) fail(coded('ECONNRESET', 'the upstream closed the connection mid answer'));
      });
      upRes.on('data', (chunk: Buffer) => {
        if (settled) return;
        idle();
        if (handler.onData(chunk) === false) pause();
      });
      upRes.on('end', () => {
        if (settled) return;
        settled = true;
        timers.clear();
        handler.onComplete(upRes.rawTrailers.length > 0 ? upRes.rawTrailers : null);
      });
      if (handler.onHeaders(upRes.statusCode ?? 502, upRes.rawHeaders, resume, upRes.statusMessage ?? '') === false) pause();
      else idle();
    });
    pump(request.body, upReq, () => settled);
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}

class Timers {
  connect: NodeJS.Timeout | undefined;
  body: NodeJS.Timeout | undefined;
  clear(): void {
    clearTimeout(this.connect);
    clearTimeout(this.body);
  }
}

/**
 * Writes the request's body upstream, as fast as the upstream takes it. An upstream may answer before it
 * has read the whole body (a 413, an early 200) and then close or stop reading: once its answer is in,
 * the body is no longer sent (the proxy lets go of the client's rest, traffic.ts) and nothing the
 * upstream does to the unsent part (EPIPE, a reset) counts against the answer already on its way.
 */
function pump(body: UpstreamRequest['body'], upReq: http.ClientRequest, answered: () => boolean): void {
  if (body === null) return void upReq.end();
  if (Buffer.isBuffer(body)) return void upReq.end(body);
  for (const chunk of body.head) upReq.write(chunk);
  const rest = body.rest;
  const onData = (chunk: Buffer): void => {
    if (answered()) return stop();
    if (!upReq.write(chunk)) rest.pause();
  };
  const onDrain = (): void => {
    if (!answered()) rest.resume();
  };
  const onEnd = (): void => {
    upReq.end();
    stop();
  };
  // The client left mid-body: the exchange ends it (its client-gone abort), not counted as the upstream's failure.
  const onGone = (): void => stop();
  const stop = (): void => {
    rest.off('data', onData).off('end', onEnd).off('close', onGone);
    // Not paused here: whoever has the request next (the drain after an early answer) reads it on.
    upReq.off('drain', onDrain);
  };
  rest.on('error', () => undefined);
  rest.on('data', onData).on('end', onEnd).on('close', onGone);
  upReq.on('drain', onDrain);
  upReq.on('response', (upRes) => upRes.once('end', () => (rest.readableEnded ? undefined : (stop(), upReq.destroy()))));
  rest.resume();
}

/** Why the proxy answered instead of the upstream, as the `x-incident-load-proxy` header says. */
export interface UpstreamFailure {
  status: 400 | 408 | 502 | 504;
  reason: string;
  message: string;
}

/** What an error from the upstream exchange means for the client. */
export function upstreamFailure(err: Error & { code?: string }): UpstreamFailure {
  const code = err.code ?? err.name;
  switch (code) {
    case 'ECONNREFUSED':
      return { status: 502, reason: 'upstream-refused', message: 'the upstream refused the connection (ECONNREFUSED)' };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { status: 502, reason: 'upstream-reset', message: `the upstream closed or reset the connection before answering (${code})` };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { status: 504, reason: 'upstream-timeout', message: `the upstream did not answer in time (${code})` };
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return { status: 504, reason: 'upstream-connect-timeout', message: `no connection to the upstream in time (${code})` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { status: 502, reason: 'upstream-unreachable', message: `the upstream cannot be reached (${code})` };
    case 'ERR_UNESCAPED_CHARACTERS':
    case 'ERR_INVALID_CHAR':
    case 'ERR_INVALID_HTTP_TOKEN':
    case 'ERR_HTTP_INVALID_HEADER_VALUE':
      return { status: 400, reason: 'bad-request', message: `the request cannot be forwarded: ${err.message}` };
    default:
      if (code.startsWith('HPE_') || err.name === 'HTTPParserError' || /parse/i.test(err.message))
        return { status: 502, reason: 'upstream-bad-response', message: `the upstream's answer is not valid HTTP/1.1 (${code})` };
      if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('DEPTH_ZERO') || code.startsWith('SELF_SIGNED'))
        return { status: 502, reason: 'upstream-tls', message: `the upstream's TLS certificate was not accepted (${code})` };
      return { status: 502, reason: 'upstream-error', message: `the upstream exchange failed (${code})` };
  }
}
