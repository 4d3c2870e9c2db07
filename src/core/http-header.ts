// HTTP header names as people write them in profiles, on the command line and in the mock's config: any
// case, compared and sent lower-case (as node:http and undici report them). Two spellings of one name
// would otherwise both go on the wire, and a server would see "low, high" for a header given twice.
import { LIMITS } from './limits.js';
import { UnitError } from './units.js';

/** RFC 9110 token, lower-case. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
export const HEADER_NAME_EXPECTED = 'an HTTP header name such as "x-priority"';

/** A header name, trimmed and lower-cased; throws a UnitError when it is not a valid name. */
export function parseHeaderName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  if (name === undefined || !HEADER_NAME.test(name)) throw new UnitError(HEADER_NAME_EXPECTED, raw);
  return name;
}

// What undici (and HTTP) accept in a header value: visible Latin-1 and tabs; no CR, LF or NUL, which
// would otherwise make every request fail at send time with a run that exits 0.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** A header value, trimmed; throws a UnitError when HTTP cannot carry it. */
export function parseHeaderValue(raw: unknown, name: string): string {
  if (typeof raw !== 'string') throw new UnitError(`text as the value of header "${name}"`, raw);
  if (!HEADER_VALUE.test(raw)) throw new UnitError(`a value of header "${name}" without line breaks, control characters or characters beyond Latin-1`, raw);
  return raw.trim();
}

/** A mapping of header names to text values, names lower-cased; a name given twice (in any case) is an error. */
export function parseHeaders(raw: unknown): Record<string, string> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new UnitError('a mapping of header names to text, such as { x-priority: high }', raw);
  const headers: Record<string, string> = {};
  const spelled = new Map<string, string>();
  const entries = Object.entries(raw);
  if (entries.length > LIMITS.headersMax) throw new UnitError(`at most ${LIMITS.headersMax} headers`, `${entries.length} headers`);
  for (const [written, rawValue] of entries) {
    const name = parseHeaderName(written);
    const value = parseHeaderValue(rawValue, written);
    const first = spelled.get(name);
    if (first !== undefined) throw new UnitError(`each header once; "${first}" and "${written}" are the same header (names are case-insensitive)`, raw);
    spelled.set(name, written);
    headers[name] = value;
  }
  return headers;
}

/** Headers whose values are secrets (credentials): shown and saved as "***", and kept out of k8s ConfigMaps. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
]);

/** The headers with every secret value masked, for reports, summaries and saved results. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, SECRET_HEADERS.has(name) ? '***' : value]));
}
