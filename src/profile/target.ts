// The target of a run: "mock" or an http(s) URL. A URL may carry credentials (http://user:secret@host/):
// they are sent as Basic authorization, as curl does, and never printed or stored — everywhere the URL
// is shown, its password reads "***".
import { UnitError } from '../core/units.js';

/**
 * Throws unless `url` is an absolute http or https URL with a port other than 0, written without
 * whitespace, control characters or line separators: a URL parser drops tabs and line breaks, so the text
 * as given would not be the URL that runs (and, written into a manifest, a line break starts YAML of its own).
 */
export function checkTargetUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnitError('an absolute http(s) URL such as "http://127.0.0.1:8080/"', redactTarget(url).replace(UNSAFE_IN_URL_G, '?'));
  }
  // It parsed, but the parser dropped or kept what it should not have: say which characters (shown as "?").
  if (UNSAFE_IN_URL.test(url))
    throw new UnitError(
      'a URL without spaces, tabs, line breaks or control characters (percent-encode them: %20)',
      redactTarget(url).replace(UNSAFE_IN_URL_G, '?'),
    );
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UnitError(`an http or https URL (the scheme "${parsed.protocol.replace(':', '')}" is not supported)`, redactTarget(url));
  }
  if (parsed.port === '0') throw new UnitError('a URL with a port from 1 to 65535 (port 0 is nobody)', redactTarget(url));
  return parsed;
}

const UNSAFE_IN_URL = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;
const UNSAFE_IN_URL_G = new RegExp(UNSAFE_IN_URL.source, 'g');

/** The URL with its password (if any) replaced by "***"; text that is not a URL loses anything before an "@". */
export function redactTarget(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//***@');
  }
  if (parsed.password === '') return url;
  parsed.password = '***';
  return parsed.href;
}

/** "Basic ..." for a URL with a user name (and maybe a password), as curl sends it; undefined without. */
export function targetAuthorization(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}
