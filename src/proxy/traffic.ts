// The traffic port: every request goes through the active faults, in a fixed order, and then on to the
// upstream (exchange.ts). The order is what a request meets on its way, outermost first:
//   reset, blackhole       the connection itself: reset at once (or after a while), or held unanswered
//   rate-limit, error-rate answers the proxy makes instead of the upstream: 429 + Retry-After, or a status
//   add-latency (request)  a delay before the request goes on
//   cap-connections        a wait for a place among the N requests allowed to the upstream at once
//   shorten-timeout        the deadline for the upstream's headers: 504 when it passes
//   add-latency (response), bandwidth   on the way back
// Without an active fault a request goes straight to the upstream. A client that leaves at any point is
// let go of at once: its place at a cap, its delay timer, its upstream request. How a request's body is
// read before and while it goes upstream (read whole, or streamed in a bounded share of the upstream
// connections, 408 if it stops coming) is request-body.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Random } from '../core/random.js';
import { survivesMalformedHttp } from '../mock/http-util.js';
import type { ProxyCounters } from './counters.js';
import type { BlackholeEffect, Effects } from './effects.js';
import { Exchange } from './exchange.js';
import { upstreamRequestHeaders, VIA } from './headers.js';
import { BODY_BUFFER_BYTES, discardBody, readBody, watchBodyIdle, type UploadSlots } from './request-body.js';
import type { StreamedBody, Upstream, UpstreamFailure } from './upstream.js';

/** The header on every answer the proxy made itself: why (a fault's name, or how the upstream failed). */
export const PROXY_REASON_HEADER = 'x-incident-load-proxy';

export interface Traffic {
  readonly effects: Effects;
  readonly upstream: Upstream;
  readonly counters: ProxyCounters;
  /** The places streamed uploads may take among the upstream connections. */
  readonly uploads: UploadSlots;
  /** A request body that stops coming this long is given up on (408), wall ms. */
  readonly bodyIdleMs: number;
}

export function createTrafficServer(traffic: Traffic): Server {
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => handle(traffic, req, res));
  survivesMalformedHttp(server);
  return server;
}

function draw(random: Random, share: number): boolean {
  return share >= 1 || (share > 0 && random.next() < share);
}

/** The path as sent upstream: the upstream's own path prefix, then the request's (origin-form only). */
function upstreamPath(upstream: Upstream, url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  if (url.startsWith('/')) return upstream.basePath + url;
  try {
    // absolute-form (RFC 9112 §3.2.2), which a proxy must accept: only its path and query are kept.
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return upstream.basePath + parsed.pathname + parsed.search;
  } catch {
    return undefined;
  }
}

function handle(traffic: Traffic, req: IncomingMessage, res: ServerResponse): void {
  const { effects, counters } = traffic;
  counters.requests++;
  const path = upstreamPath(traffic.upstream, req.url);
  if (path === undefined) return answer(traffic, req, res, 400, 'bad-request', `cannot forward the request target ${JSON.stringify(req.url?.slice(0, 100))}`);
  if (!effects.any) return forward(traffic, req, res, path, 0, 0, []);

  for (const reset of effects.resets) if (draw(reset.random, reset.share)) return resetConnection(traffic, req, reset.afterMs);
  for (const blackhole of effects.blackholes) if (draw(blackhole.random, blackhole.share)) return hold(traffic, req, res, blackhole);
  const now = performance.now();
  for (const limit of effects.rateLimits) {
    if (!limit.bucket.take(now)) {
      const retryAfterS = Math.max(1, Math.ceil(limit.bucket.waitMs(now) / 1000));
      return answer(traffic, req, res, 429, 'rate-limit', `rate limited by fault ${limit.id} (rate-limit)`, retryAfterS);
    }
  }
  for (const error of effects.errors) {
    if (draw(error.random, error.rate))
      return answer(traffic, req, res, error.status, 'error-rate', `answered by fault ${error.id} (error-rate)`, error.retryAfterS);
  }
  let before = 0;
  let after = 0;
  for (const latency of effects.latency) {
    if (!draw(latency.random, latency.share)) continue;
    const jitter = latency.jitterMs > 0 ? latency.random.uniform(-latency.jitterMs, latency.jitterMs) : 0;
    const ms = Math.max(0, latency.latencyMs + jitter);
    if (latency.direction === 'request') before += ms;
    else after += ms;
  }
  const caps = effects.caps.size > 0 ? [...effects.caps] : [];
  if (before === 0 && caps.length === 0) return forward(traffic, req, res, path, 0, after, []);

  // The slow way: a delay, then a place at each cap in turn, each step let go of if the client leaves.
  let gone = false;
  let cancel: (() => void) | undefined;
  const releases: (() => void)[] = [];
  const onClose = (): void => {
    gone = true;
    cancel?.();
    for (const release of releases) release();
    counters.abandoned++;
  };
  res.on('close', onClose);
  const startedAt = performance.now();
  const pass = (i: number): void => {
    if (gone) return;
    if (i === caps.length) {
      res.off('close', onClose);
      cancel = undefined;
      return forward(traffic, req, res, path, performance.now() - startedAt, after, releases);
    }
    const ticket = caps[i]!.enter(
      (release) => {
        releases.push(release);
        pass(i + 1);
      },
      (why) => {
        res.off('close', onClose);
        for (const release of releases) release();
        if (why === 'queue-full')
          answer(traffic, req, res, 503, 'cap-connections-queue-full', `the queue of cap-connections is full (${caps[i]!.queueLimit} waiting)`);
        else answer(traffic, req, res, 504, 'cap-connections-queue-timeout', `waited ${caps[i]!.timeoutMs} ms at cap-connections without a place`);
      },
    );
    cancel = ticket.cancel;
  };
  if (before > 0) {
    counters.delaying++;
    const timer = setTimeout(() => {
      counters.delaying--;
      pass(0);
    }, before);
    cancel = () => {
      clearTimeout(timer);
      counters.delaying--;
    };
  } else pass(0);
}

/** On to the upstream; `addedMs` already added on the way (delay and queue), `afterMs` to hold the response. */
function forward(traffic: Traffic, req: IncomingMessage, res: ServerResponse, path: string, addedMs: number, afterMs: number, releases: (() => void)[]): void {
  const length = req.headers['content-length'];
  const hasBody = length !== undefined ? length !== '0' : req.headers['transfer-encoding'] !== undefined;
  if (!hasBody) return void send(traffic, req, res, path, addedMs, afterMs, releases, null);
  const { counters, uploads } = traffic;
  // Until the request goes on: the client may leave, or stop sending.
  counters.reading++;
  let reading = true;
  let cancelWait: (() => void) | undefined;
  const letGo = (): void => {
    if (reading) counters.reading--;
    reading = false;
    cancelWait?.();
    cancelWait = undefined;
    res.off('close', onClose);
  };
  const onClose = (): void => {
    letGo();
    stopIdle();
    for (const release of releases) release();
    counters.abandoned++;
  };
  res.on('close', onClose);
  let exchange: Exchange | undefined;
  const stopIdle = watchBodyIdle(req, traffic.bodyIdleMs, () => {
    const failure: UpstreamFailure = { status: 408, reason: 'request-body-timeout', message: `the request's body stopped coming for ${traffic.bodyIdleMs} ms` };
    if (exchange) return exchange.clientFailed(failure);
    letGo();
    for (const release of releases) release();
    answer(traffic, req, res, failure.status, failure.reason, failure.message, undefined, true);
  });
  readBody(req, BODY_BUFFER_BYTES, {
    whole: (body) => {
      letGo();
      exchange = send(traffic, req, res, path, addedMs, afterMs, releases, body);
    },
    streamed: (head) => {
      if (reading) counters.reading--;
      reading = false;
      cancelWait = uploads.take((release) => {
        cancelWait = undefined;
        res.off('close', onClose);
        releases.push(release);
        exchange = send(traffic, req, res, path, addedMs, afterMs, releases, { head, rest: req });
      });
    },
    gone: () => undefined, // res's 'close' follows: onClose
  });
}

/** The request, its body read whole, streamed or none, to the upstream through an Exchange. */
function send(
  traffic: Traffic,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  addedMs: number,
  afterMs: number,
  releases: (() => void)[],
  body: Buffer | StreamedBody | null,
): Exchange {
  const { counters, upstream, effects } = traffic;
  counters.forwarded++;
  counters.inFlight++;
  let timeoutMs = upstream.options.timeoutMs;
  let timeoutReason = 'upstream-timeout';
  for (const t of effects.timeouts) {
    if (t.timeoutMs < timeoutMs) {
      timeoutMs = t.timeoutMs;
      timeoutReason = 'shorten-timeout';
    }
  }
  let bytesPerSecond: number | undefined;
  for (const b of effects.bandwidth) bytesPerSecond = Math.min(bytesPerSecond ?? Infinity, b.bytesPerSecond);
  const exchange = new Exchange(res, {
    responseDelayMs: afterMs,
    bytesPerSecond,
    timeoutMs,
    timeoutReason,
    fail: (failure) => answer(traffic, req, res, failure.status, failure.reason, failure.message, undefined, failure.status === 408),
    done: (responseAddedMs, clientGone) => {
      counters.inFlight--;
      for (const release of releases) release();
      counters.added(addedMs + responseAddedMs);
      if (clientGone) counters.abandoned++;
      // Answered while the body was still coming (an upstream that answered early): the rest is dropped.
      else discardBody(req);
    },
  });
  const headers = upstreamRequestHeaders(req, upstream.host);
  // The body's framing, said to node:http: a body read whole goes with its length (a chunked one too);
  // one streamed keeps the client's length, or goes chunked.
  if (Buffer.isBuffer(body)) {
    if (req.headers['content-length'] === undefined) headers.push('content-length', String(body.length));
  } else if (body !== null && req.headers['content-length'] === undefined) headers.push('transfer-encoding', 'chunked');
  upstream.send({ method: req.method ?? 'GET', path, headers, body }, exchange);
  return exchange;
}

/** The proxy's own answer: a short text, the reason in a header, the rest of the request's body dropped (and the connection closed after it, if `close`). */
function answer(
  traffic: Traffic,
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  reason: string,
  message: string,
  retryAfterS?: number,
  close = false,
): void {
  traffic.counters.answer(reason);
  if (close) req.pause();
  else discardBody(req);
  if (res.headersSent || res.destroyed) return;
  const text = `incident-load proxy: ${message}\n`;
  const headers: Record<string, string | number> = {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    [PROXY_REASON_HEADER]: reason,
    via: VIA,
  };
  if (retryAfterS !== undefined) headers['retry-after'] = retryAfterS;
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

/** The reset fault: the client's connection reset (TCP RST), at once or after `afterMs`. */
function resetConnection(traffic: Traffic, req: IncomingMessage, afterMs: number): void {
  traffic.counters.answer('reset');
  traffic.counters.resets++;
  discardBody(req);
  const socket = req.socket;
  const reset = (): void => {
    if (!socket.destroyed) socket.resetAndDestroy();
  };
  if (afterMs <= 0) return reset();
  const timer = setTimeout(reset, afterMs);
  socket.once('close', () => clearTimeout(timer));
}

/** The blackhole fault: read the request, never answer; let go when the client leaves, at the timeout, or when the fault goes. */
function hold(traffic: Traffic, req: IncomingMessage, res: ServerResponse, blackhole: BlackholeEffect): void {
  const { counters } = traffic;
  counters.answer('blackhole');
  counters.held++;
  req.resume();
  let timer: NodeJS.Timeout | undefined;
  const release = (): void => {
    if (!blackhole.held.delete(release)) return;
    counters.held--;
    clearTimeout(timer);
    res.off('close', release);
    req.socket.destroy();
  };
  blackhole.held.add(release);
  res.on('close', release);
  if (blackhole.timeoutMs > 0) timer = setTimeout(release, blackhole.timeoutMs);
}
