// Who may use a control API (the mock's, and the proxy's: src/proxy/ shares this guard). Listening on loopback keeps other machines out, but not a web page in
// the user's browser (which connects from loopback too) nor another local user. So a request must:
//   - come from a loopback address;
//   - name a loopback Host (a DNS-rebound name such as evil.example is refused: 403);
//   - carry no Origin, or a loopback one (a page elsewhere is refused: 403);
//   - carry the program's token, `Authorization: Bearer <token>` (401);
//   - for writes (POST, DELETE), say `Content-Type: application/json`, which a browser cannot send across
//     origins without a preflight this API never grants (415).
import type { IncomingMessage } from 'node:http';
import { carriesToken } from './control-api.js';
import { isLoopback } from './http-util.js';

export interface Refusal {
  status: 401 | 403 | 415;
  error: string;
  headers?: Record<string, string>;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whose control API this is, for the messages: `incident-load mock` or `incident-load proxy`. */
export type ControlledProgram = 'mock' | 'proxy';

export function refusal(req: IncomingMessage, token: string, program: ControlledProgram = 'mock'): Refusal | undefined {
  if (!isLoopback(req.socket.remoteAddress)) return { status: 403, error: 'the control API answers loopback clients only' };
  const host = req.headers.host;
  if (!loopbackHost(host, req.socket.localPort)) {
    return { status: 403, error: `the control API answers requests for 127.0.0.1, localhost or [::1] (and its own port) only; Host was ${quote(host)}` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !loopbackOrigin(origin)) {
    return { status: 403, error: `the control API refuses requests from web pages: Origin ${quote(origin)} is not a loopback origin` };
  }
  if (!carriesToken(req.headers.authorization, token)) {
    return {
      status: 401,
      error: `missing or wrong token: send "Authorization: Bearer <token>" with this ${program}'s token (incident-load ${program} writes it to the token file it prints)`,
      headers: { 'www-authenticate': `Bearer realm="incident-load ${program}"` },
    };
  }
  const method = req.method ?? 'GET';
  if ((method === 'POST' || method === 'DELETE') && !isJson(req.headers['content-type'])) {
    return { status: 415, error: `${method} needs Content-Type: application/json, got ${quote(req.headers['content-type'])}` };
  }
  return undefined;
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
