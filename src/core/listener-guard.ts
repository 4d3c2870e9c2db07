// Who may talk to something incident-load listens on (the mock's control API, the start barrier of a run
// split across machines). Listening on loopback keeps other machines out, but not a web page in the
// user's browser (which connects from loopback too) nor another local user. So a request must:
//   - come from a loopback address, and name a loopback Host (a DNS-rebound name such as evil.example is
//     refused: 403) — unless the listener was explicitly opened to the network (`remote`: a pod, where
//     the other pods are the clients and call it by its Service name);
//   - carry no Origin, or a loopback one (a page elsewhere is refused: 403), in either case;
//   - carry the listener's token, `Authorization: Bearer <token>` (401), in either case;
//   - for writes (POST, DELETE), say `Content-Type: application/json`, which a browser cannot send across
//     origins without a preflight these APIs never grant (415). A DELETE may instead carry no
//     Content-Type at all (`curl -X DELETE`, a body it does not need): a browser preflights every
//     cross-origin DELETE whatever it carries (DELETE is not a CORS-safelisted method), so the rule that
//     keeps a page's POST out has nothing to add there; a DELETE that names another type is still a 415.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export interface Refusal {
  status: 401 | 403 | 415;
  error: string;
  headers?: Record<string, string>;
}

export interface GuardPolicy {
  /** Every request must carry it. */
  token: string;
  /** Opened to the network on purpose (a non-loopback listen address): any client address and Host. */
  remote: boolean;
  /** What answers, for messages: "the control API". */
  what: string;
  /** The 401's advice: where the token is to be found. */
  tokenHint: string;
  /** The WWW-Authenticate realm. */
  realm: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (LOOPBACK.has(address) || address.startsWith('127.'));
}

/**
 * A listen address: 127.0.0.1 (the default; "localhost" means it) or ::1, or, said explicitly, any IP
 * address of this machine (0.0.0.0 or :: for all of them). `remote` when it is not loopback.
 */
export function listenAddress(host: string | undefined): { host: string; remote: boolean } {
  const h = host ?? '127.0.0.1';
  if (h === 'localhost') return { host: '127.0.0.1', remote: false };
  if (isIP(h) === 0) throw new Error(`expected an IP address to listen on (127.0.0.1, ::1, or 0.0.0.0 for every interface), got ${JSON.stringify(h)}`);
  return { host: h, remote: !isLoopback(h) };
}

/** Why `req` must be refused under `policy`, or undefined when it may go on. */
export function refusal(req: IncomingMessage, policy: GuardPolicy): Refusal | undefined {
  const { what } = policy;
  if (!policy.remote) {
    if (!isLoopback(req.socket.remoteAddress)) return { status: 403, error: `${what} answers loopback clients only` };
    const host = req.headers.host;
    if (!loopbackHost(host, req.socket.localPort)) {
      return { status: 403, error: `${what} answers requests for 127.0.0.1, localhost or [::1] (and its own port) only; Host was ${quote(host)}` };
    }
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !loopbackOrigin(origin)) {
    return { status: 403, error: `${what} refuses requests from web pages: Origin ${quote(origin)} is not a loopback origin` };
  }
  if (!carriesToken(req.headers.authorization, policy.token)) {
    return {
      status: 401,
      error: `missing or wrong token: send "Authorization: Bearer <token>" with ${policy.tokenHint}`,
      headers: { 'www-authenticate': `Bearer realm="${policy.realm}"` },
    };
  }
  const method = req.method ?? 'GET';
  const bareDelete = method === 'DELETE' && req.headers['content-type'] === undefined;
  if ((method === 'POST' || method === 'DELETE') && !bareDelete && !isJson(req.headers['content-type'])) {
    return { status: 415, error: `${method} needs Content-Type: application/json, got ${quote(req.headers['content-type'])}` };
  }
  return undefined;
}

/**
 * Whether an Authorization header carries this token. Both sides are hashed first, so the comparison
 * takes the same time whatever the header's length and wherever it first differs.
 */
export function carriesToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  const given = createHash('sha256')
    .update(match?.[1] ?? '')
    .digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}

/** `127.0.0.1`, `localhost` or `[::1]`, with no port or this server's. */
function loopbackHost(host: string | undefined, localPort: number | undefined): boolean {
  if (host === undefined) return false;
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.toLowerCase());
  if (!m || !LOOPBACK_NAMES.has(m[1]!)) return false;
  return m[2] === undefined || Number(m[2]) === localPort;
}

function loopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file: pages) included
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_NAMES.has(url.hostname);
}

/** `application/json`, parameters (charset) allowed. */
function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

function quote(value: string | undefined): string {
  return value === undefined ? 'missing' : JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}
