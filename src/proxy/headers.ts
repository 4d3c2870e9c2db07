// Header handling of a forwarding proxy, RFC 9110 §7.6.1: the hop-by-hop fields describe one connection,
// so they are dropped both ways — Connection and every field it names, Keep-Alive, Proxy-Connection, TE,
// Transfer-Encoding, Upgrade — with the fields meant for a proxy itself (Proxy-Authorization,
// Proxy-Authenticate) and Expect (node:http has answered 100-continue to the client already).
// Host becomes the upstream's, so a name-based virtual host or a TLS upstream answers as it would to a
// direct client. What the proxy saw of the client goes on as nginx's `proxy_set_header` and Envoy put it:
// X-Forwarded-Host (the client's Host) and X-Forwarded-Proto (http) are the proxy's alone, any the client
// sent replaced, so a service reading their first value is not told a host or scheme the client made up;
// X-Forwarded-For and Forwarded (RFC 7239) are lists, so the proxy appends its element for this hop to
// the client's (the last element is the one to trust). Via (§7.6.3) is added both ways. A client that says
// `TE: trailers` gets it passed on: it will accept the trailers the proxy forwards.
import type { IncomingMessage } from 'node:http';

export const VIA = '1.1 incident-load';

const ALWAYS_DROPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
  'expect',
  'host',
  'http2-settings',
  // The proxy's own, set from what it saw (below): a client's would be taken for the proxy's.
  'x-forwarded-host',
  'x-forwarded-proto',
]);

/** RFC 7239 §4: a value that is not a token goes quoted (an IPv6 address also in brackets, §6). */
function forwardedValue(value: string): string {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value) ? value : `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The Forwarded element for this hop: `for=<client>;host=<its Host>;proto=http`. */
export function forwardedElement(client: string | undefined, host: string | undefined): string {
  const node = client === undefined ? 'unknown' : client.includes(':') ? `[${client}]` : client;
  return `for=${forwardedValue(node)}${host === undefined ? '' : `;host=${forwardedValue(host)}`};proto=http`;
}

/** The field names a Connection header lists, lower case. */
function connectionOptions(values: readonly string[]): Set<string> | undefined {
  let named: Set<string> | undefined;
  for (const value of values) {
    for (const token of value.split(',')) {
      const name = token.trim().toLowerCase();
      if (name !== '') (named ??= new Set()).add(name);
    }
  }
  return named;
}

/** The request's headers as sent upstream: a flat [name, value, ...] list, as node:http writes it. */
export function upstreamRequestHeaders(req: IncomingMessage, upstreamHost: string): string[] {
  const raw = req.rawHeaders;
  const connection: string[] = [];
  let te: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'connection') connection.push(raw[i + 1]!);
    else if (name === 'te') te = raw[i + 1];
  }
  const named = connectionOptions(connection);
  const out: string[] = ['host', upstreamHost];
  let via: string | undefined;
  let forwardedFor: string | undefined;
  let forwarded: string | undefined;
  const list = (so: string | undefined, value: string): string => (so === undefined ? value : `${so}, ${value}`);
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (ALWAYS_DROPPED.has(name) || named?.has(name)) continue;
    if (name === 'via') via = list(via, raw[i + 1]!);
    else if (name === 'x-forwarded-for') forwardedFor = list(forwardedFor, raw[i + 1]!);
    else if (name === 'forwarded') forwarded = list(forwarded, raw[i + 1]!);
    else out.push(raw[i]!, raw[i + 1]!);
  }
  if (te !== undefined && /(^|,)\s*trailers\s*(;|,|$)/i.test(te)) out.push('te', 'trailers');
  const client = req.socket.remoteAddress;
  out.push('via', list(via, VIA));
  out.push('x-forwarded-for', list(forwardedFor, client ?? 'unknown'));
  out.push('forwarded', list(forwarded, forwardedElement(client, req.headers.host)));
  if (req.headers.host !== undefined) out.push('x-forwarded-host', req.headers.host);
  out.push('x-forwarded-proto', 'http');
  return out;
}

function text(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}

/** The upstream's response headers as sent to the client: a flat list for writeHead, with Via added. */
export function clientResponseHeaders(rawHeaders: readonly (Buffer | string)[]): string[] {
  const connection: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 10 && text(name).toLowerCase() === 'connection') connection.push(text(rawHeaders[i + 1]!));
  }
  const named = connection.length > 0 ? connectionOptions(connection) : undefined;
  const out: string[] = [];
  let via: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = text(rawHeaders[i]!);
    const lower = name.toLowerCase();
    if ((ALWAYS_DROPPED.has(lower) && lower !== 'host') || named?.has(lower)) continue;
    const value = text(rawHeaders[i + 1]!);
    if (lower === 'via') via = via === undefined ? value : `${via}, ${value}`;
    else out.push(name, value);
  }
  out.push('via', via === undefined ? VIA : `${via}, ${VIA}`);
  return out;
}

/** Raw trailers ([name, value, ...]) as an object for res.addTrailers. */
export function trailerObject(rawTrailers: readonly (Buffer | string)[] | null | undefined): [string, string][] {
  const out: [string, string][] = [];
  if (!rawTrailers) return out;
  for (let i = 0; i + 1 < rawTrailers.length; i += 2) out.push([text(rawTrailers[i]!), text(rawTrailers[i + 1]!)]);
  return out;
}
