// HTTP header names as people write them in profiles, on the command line and in the mock's config: any
// case, compared and sent lower-case (as node:http and undici report them). Two spellings of one name
// would otherwise both go on the wire, and a server would see "low, high" for a header given twice.
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

/** A mapping of header names to text values, names lower-cased; a name given twice (in any case) is an error. */
export function parseHeaders(raw: unknown): Record<string, string> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UnitError('a mapping of header names to text, such as { x-priority: high }', raw);
  const headers: Record<string, string> = {};
  const spelled = new Map<string, string>();
  for (const [written, value] of Object.entries(raw)) {
    const name = parseHeaderName(written);
    if (typeof value !== 'string') throw new UnitError(`text as the value of header "${written}"`, value);
    const first = spelled.get(name);
    if (first !== undefined) throw new UnitError(`each header once; "${first}" and "${written}" are the same header (names are case-insensitive)`, raw);
    spelled.set(name, written);
    headers[name] = value;
  }
  return headers;
}
