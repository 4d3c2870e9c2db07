// The proxy's side toward the upstream: one undici Pool to its origin (keep-alive connections, reused
// across requests), and what each way of failing is called in the answer the client gets instead. The
// proxy never crashes on an upstream: a refused, reset, hung or garbled one becomes a 502 or 504 whose
// `x-incident-load-proxy` header says which.
import { Pool } from 'undici';

export interface UpstreamOptions {
  /** http(s) URL of the service; its path, if any, is prefixed to every request's. */
  url: string;
  /** Give up on an upstream that has sent no response headers after this long (wall ms): 504. */
  timeoutMs: number;
  /** Most connections to the upstream at once (beyond it, requests wait in undici's queue). */
  connections: number;
  /** Accept any TLS certificate from an https upstream. */
  insecure?: boolean;
  /** Trust these CAs (PEM) for an https upstream, besides the system's. */
  ca?: string;
}

export class Upstream {
  readonly pool: Pool;
  /** The Host header the upstream is sent: its own. */
  readonly host: string;
  /** The upstream URL's path without its trailing slash ("" for "/"): prefixed to every path. */
  readonly basePath: string;
  readonly origin: string;

  constructor(readonly options: UpstreamOptions) {
    const url = new URL(options.url);
    this.origin = url.origin;
    this.host = url.host;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      // Our own timer gives up on headers (shorten-timeout can make it shorter); the body may pause this long.
      headersTimeout: 0,
      bodyTimeout: options.timeoutMs,
      connect: {
        timeout: Math.min(options.timeoutMs, 10_000),
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !options.insecure, ...(options.ca ? { ca: options.ca } : {}) } : {}),
      },
    });
    this.pool.on('connectionError', () => undefined);
  }

  /** Requests waiting in undici's queue for a connection, and running on one. */
  stats(): { queued: number; running: number; connected: number } {
    const s = this.pool.stats;
    return { queued: s.queued, running: s.running, connected: s.connected };
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/** Why the proxy answered instead of the upstream, as the `x-incident-load-proxy` header says. */
export interface UpstreamFailure {
  status: 400 | 502 | 504;
  reason: string;
  message: string;
}

/** What an error from undici means for the client. */
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
    case 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH':
    case 'UND_ERR_INVALID_ARG':
    case 'InvalidArgumentError':
      return { status: 400, reason: 'bad-request', message: `the request cannot be forwarded: ${err.message}` };
    default:
      if (code.startsWith('HPE_') || err.name === 'HTTPParserError' || /parse/i.test(err.message))
        return { status: 502, reason: 'upstream-bad-response', message: `the upstream's answer is not valid HTTP/1.1 (${code})` };
      if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('DEPTH_ZERO') || code.startsWith('SELF_SIGNED'))
        return { status: 502, reason: 'upstream-tls', message: `the upstream's TLS certificate was not accepted (${code})` };
      return { status: 502, reason: 'upstream-error', message: `the upstream exchange failed (${code})` };
  }
}
