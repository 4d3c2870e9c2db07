// `${env.NAME}` in a profile: a secret (a token, a password, a host) written as a reference to the
// environment rather than in the file, resolved when the profile is read to run. Only where requests are
// made: the target URL, the request's (and each mix class's) path, header values and body. A variable
// that is not set is bad input naming it; a value a header or URL could not carry (a line break, a control
// character) is refused without quoting it. `incident-load k8s` puts what a profile references into the
// run's Secret, mapped into the pods' environment (src/cli/k8s.ts), and refuses credentials written
// literally (`literalSecrets`).
import { UsageError } from '../core/errors.js';
import { SECRET_HEADERS } from '../core/http-header.js';

/** `${env.NAME}`: NAME as a shell variable is written. */
export const ENV_REF = /\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** Anything that starts like a reference: to find the malformed ones. */
const ENV_REF_START = /\$\{env\./g;

/** How references are resolved: from this environment, or (to check a profile without running it) with a stand-in. */
export type EnvSource = { vars: Readonly<Record<string, string | undefined>> } | 'placeholder';

export interface EnvResolution {
  /** The names referenced, in the order first found. */
  names: string[];
  /** The values substituted (never printed or saved: results mask them). */
  values: string[];
}

/** Values this long or longer are masked in what a run shows and saves (a shorter one would mask common text, and is no secret). */
export const MASKED_MIN = 4;

/** The stand-in a reference in a URL's host reads as when nothing runs (validate, mock, profiles); elsewhere it stays as written. */
const PLACEHOLDER = 'env-placeholder';

type Raw = Record<string, unknown>;

/**
 * Replaces every `${env.NAME}` in the fields that make requests of `raw` (a profile as parsed from YAML,
 * before validation) in place; throws UsageError naming the field and the variable when one is not set.
 */
export function resolveEnvRefs(raw: Raw, source: string, env: EnvSource): EnvResolution {
  const names: string[] = [];
  const values: string[] = [];
  const resolve = (value: unknown, field: string, kind: 'url' | 'line' | 'body'): unknown => {
    if (typeof value !== 'string' || !value.includes('${env.')) return value;
    const starts = value.match(ENV_REF_START)?.length ?? 0;
    const refs = [...value.matchAll(ENV_REF)];
    if (refs.length !== starts)
      throw new UsageError(`${source}: ${field}: expected \${env.NAME} with NAME of letters, digits and "_" (not starting with a digit)`);
    return value.replace(ENV_REF, (ref: string, name: string) => {
      if (!names.includes(name)) names.push(name);
      // A URL must parse to be checked; a path, a header or a body is shown with its reference.
      if (env === 'placeholder') return kind === 'url' ? PLACEHOLDER : ref;
      const found = env.vars[name];
      if (found === undefined) throw new UsageError(`${source}: ${field}: \${env.${name}}: the environment variable ${name} is not set`);
      if (kind !== 'body' && /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(found))
        throw new UsageError(
          `${source}: ${field}: \${env.${name}}: the value of ${name} holds a line break or control character, which a URL or header cannot carry`,
        );
      if (found.length >= MASKED_MIN && !values.includes(found)) values.push(found);
      return found;
    });
  };
  const resolveRequest = (request: unknown, at: string): void => {
    if (!isMapping(request)) return;
    request.path = resolve(request.path, `${at}.path`, 'line');
    request.body = resolve(request.body, `${at}.body`, 'body');
    if (isMapping(request.headers))
      for (const [name, value] of Object.entries(request.headers)) request.headers[name] = resolve(value, `${at}.headers.${name}`, 'line');
  };
  if (typeof raw.target === 'string') raw.target = resolve(raw.target, 'target', 'url');
  else if (isMapping(raw.target)) raw.target.url = resolve(raw.target.url, 'target.url', 'url');
  resolveRequest(raw.request, 'request');
  if (isMapping(raw.request) && Array.isArray(raw.request.mix)) raw.request.mix.forEach((c, i) => resolveRequest(c, `request.mix[${i}]`));
  return { names, values };
}

/** Body fields whose value is a secret: `"password": "..."` in JSON, `password=...` in a form. */
const SECRET_FIELD = '(?:password|passwd|pwd|pass|secret|client_secret|token|access_token|refresh_token|api_key|apikey|api-key|private_key|credentials?)';
const JSON_SECRET = new RegExp(`"${SECRET_FIELD}"\\s*:\\s*"([^"]*)"`, 'gi');
const FORM_SECRET = new RegExp(`(?:^|&)${SECRET_FIELD}=([^&]*)`, 'gi');

/**
 * Where a profile (as parsed from YAML, before references are resolved) carries a credential written
 * literally: a credential header or a password-like body field, not by `${env.NAME}`. Each as
 * "request.headers.authorization". (A target URL's password is masked wherever it is shown, and k8s moves
 * it into the Secret itself.)
 */
export function literalSecrets(raw: Raw): string[] {
  const found: string[] = [];
  const literal = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '' && !value.includes('${env.');
  const checkRequest = (request: unknown, at: string): void => {
    if (!isMapping(request)) return;
    if (isMapping(request.headers)) {
      for (const [name, value] of Object.entries(request.headers)) {
        if (SECRET_HEADERS.has(name.trim().toLowerCase()) && literal(value)) found.push(`${at}.headers.${name}`);
      }
    }
    if (typeof request.body === 'string') {
      for (const m of [...request.body.matchAll(JSON_SECRET), ...request.body.matchAll(FORM_SECRET)]) {
        if (literal(m[1])) {
          found.push(`${at}.body (a password-like field)`);
          break;
        }
      }
    }
  };
  checkRequest(raw.request, 'request');
  if (isMapping(raw.request) && Array.isArray(raw.request.mix)) raw.request.mix.forEach((c, i) => checkRequest(c, `request.mix[${i}]`));
  return found;
}

/** `text` with every secret value replaced by "***" (the longest first, so that one inside another goes whole). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s !== '') masked = masked.split(s).join('***');
  return masked;
}

function isMapping(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
