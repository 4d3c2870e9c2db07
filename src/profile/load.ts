// Profiles from disk: a bundled name ("dalle-2023-03") or a path, YAML or JSON. Problems are reported
// all at once, each with its file, line and path: `profiles/x.yaml:12 phases[1].rate: expected ...`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { truncateProblem, UsageError } from '../core/errors.js';
import { defaultMockConfig, mockConfigPaths } from '../mock/config/index.js';
import { CLIENT_DEFAULTS, REQUEST_DEFAULTS, type Profile } from './profile.js';
import { describe } from '../core/units.js';
import { profileSchema } from './schema.js';
import { literalSecrets, maskSecrets, resolveEnvRefs, type EnvSource } from './env-refs.js';
import { LIMITS } from '../core/limits.js';

/** Invalid profile: every problem, one per line. */
export class ProfileError extends UsageError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    const shown = problems.slice(0, PROBLEMS_SHOWN);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    super(`${source}: invalid profile (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${shown.join('\n  ')}${more}`);
    this.name = 'ProfileError';
  }
}

export const BUNDLED_DIR = fileURLToPath(new URL('../../profiles/', import.meta.url));

export interface BundledProfile {
  name: string;
  path: string;
}

export function bundledProfiles(): BundledProfile[] {
  if (!existsSync(BUNDLED_DIR)) return [];
  return readdirSync(BUNDLED_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.(ya?ml|json)$/, ''), path: `${BUNDLED_DIR}${f}` }));
}

/** A bundled profile name, or a path to a .yaml/.yml/.json file. */
export function resolveProfile(ref: string): { path: string; display: string } {
  const looksLikePath = /[\\/]/.test(ref) || /\.(ya?ml|json)$/i.test(ref);
  if (looksLikePath || existsSync(ref)) {
    if (!existsSync(ref)) throw new UsageError(`profile file ${ref} does not exist`);
    return { path: ref, display: displayPath(ref) };
  }
  const bundled = bundledProfiles().find((p) => p.name === ref);
  if (!bundled) {
    const names = bundledProfiles().map((p) => p.name);
    throw new UsageError(`no bundled profile named "${ref}" and no such file; bundled profiles: ${names.join(', ')}`);
  }
  return { path: bundled.path, display: displayPath(bundled.path) };
}

/** How a read profile's `${env.NAME}` are resolved: from the environment (to run it), or a stand-in (to check or describe it). */
export interface ProfileReadOptions {
  env?: EnvSource;
}

export function loadProfile(ref: string, options: ProfileReadOptions = {}): Profile {
  const { path, display } = resolveProfile(ref);
  const stat = statSync(path);
  if (!stat.isFile()) throw new UsageError(`${display}: expected a profile file (.yaml or .json), and this is not a regular file`);
  if (stat.size > LIMITS.profileBytesMax) throw new UsageError(`${display}: expected a profile of at most ${LIMITS.profileBytesMax} bytes, got ${stat.size}`);
  return parseProfile(readFileSync(path, 'utf8'), display, basename(path, extname(path)), dirname(resolvePath(path)), options);
}

/** The PEM text of a CA file (a profile's `client.ca`, relative to the profile; --ca, relative to here). */
export function readCa(file: string, label: string, baseDir: string): string {
  const path = resolvePath(baseDir, file);
  let text: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > 1_000_000) throw new Error('not a regular file of at most 1 MB');
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${label}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`${label}: expected PEM certificates ("-----BEGIN CERTIFICATE-----") in ${file}`);
  return text;
}

/** Problems beyond this many are counted, not listed: a garbage file gets a readable message. */
const PROBLEMS_SHOWN = 50;

/**
 * What a run without a profile starts from when its phases come from --phase (or it has a --target): the
 * bundled mock's defaults, no faults, no thresholds, its own name — nothing of the quickstart's, whose
 * fault and queue timeout would otherwise change a measurement nobody asked them into.
 */
export function oneOffProfile(): Profile {
  return {
    name: 'one-off',
    description: 'A one-off run: phases from --phase, the bundled mock with its defaults (or --target), no faults, no thresholds.',
    source: 'the command line',
    speed: 1,
    seed: 1,
    target: 'mock',
    client: { ...CLIENT_DEFAULTS, retries: { ...CLIENT_DEFAULTS.retries } },
    request: { ...REQUEST_DEFAULTS, headers: {} },
    mock: defaultMockConfig(),
    phases: [],
    faults: [],
    thresholds: [],
    faultLocations: [],
  };
}

/** Parses and validates profile text (YAML, which includes JSON); `source` names it in messages. */
export function parseProfile(text: string, source: string, fallbackName: string, baseDir = process.cwd(), options: ProfileReadOptions = {}): Profile {
  const lineCounter = new LineCounter();
  // The yaml library's own duplicate-key check compares each key with every other (quadratic: 40k keys
  // took 9 s); duplicateKeys() finds them in one pass.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const syntax = doc.errors.map((e) => `${source}:${lineCounter.linePos(e.pos[0]).line} ${truncateProblem(e.message.split('\n')[0]!)}`);
  const problems = syntax.length > 0 ? syntax : duplicateKeys(doc, lineCounter, source);
  if (problems.length > 0) throw new ProfileError(source, problems);
  let raw: unknown;
  try {
    // Aliases are resolved here: an undefined one, or so many that they would blow up (billion laughs), fail.
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new ProfileError(source, [`${source}:1 ${err instanceof Error ? err.message : String(err)}`]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ProfileError(source, [`${source}:1 expected a mapping with at least "phases:", got ${raw === null ? 'an empty file' : typeof raw}`]);
  }
  // Literal credentials are looked for as written; then `${env.NAME}` are resolved, before the values are checked.
  const literal = literalSecrets(raw as Record<string, unknown>);
  const env = resolveEnvRefs(raw as Record<string, unknown>, source, options.env ?? { vars: process.env });
  const result = profileSchema.safeParse(raw);
  if (!result.success) {
    // A value from the environment that did not pass is not quoted back.
    const problems = result.error.issues.flatMap((issue) => describeIssue(issue, raw, doc, lineCounter, source)).map((p) => maskSecrets(p, env.values));
    // In the order of the file, as an editor shows them (the schema's order is the order of its keys).
    const lineOf = (problem: string): number => Number(/^[^ ]*:(\d+) /.exec(problem)?.[1] ?? 0);
    throw new ProfileError(
      source,
      problems.sort((a, b) => lineOf(a) - lineOf(b)),
    );
  }
  const p = result.data;
  const faultLocations = p.faults.map((_, i) => where(doc, lineCounter, source, ['faults', i]));
  const profile: Profile = { ...p, name: p.name ?? fallbackName, source, mock: p.mock ?? defaultMockConfig(), faultLocations, env, literalSecrets: literal };
  if (p.client.tls.caFile !== undefined)
    profile.client = { ...p.client, tls: { ...p.client.tls, ca: readCa(p.client.tls.caFile, `${source}: client.ca`, baseDir) } };
  return profile;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown, doc: Document, lines: LineCounter, source: string): string[] {
  const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    // One pass over the mapping for all its unknown keys (a key at a time would be quadratic).
    const keyLines = keyLinesOf(doc.getIn(path, true), lines);
    const at = (key: string): string => (keyLines.has(key) ? `${source}:${keyLines.get(key)}` : where(doc, lines, source, [...path, key]));
    const allowed = allowedKeys(path);
    return issue.keys.map((key) => `${at(key)} ${formatPath([...path, key])}: unknown key (allowed: ${allowed})`);
  }
  // zod does not say what it got; the value in the file tells "missing" from "of the wrong type".
  let message = issue.message;
  if (issue.code === 'invalid_type') {
    const found = valueAt(raw, path);
    const expected = `expected ${YAML_TYPE[issue.expected] ?? issue.expected}`;
    message = found === undefined ? `missing (${expected})` : `${expected}, got ${describe(found)}`;
  }
  return [`${where(doc, lines, source, path)} ${formatPath(path) || '(top level)'}: ${truncateProblem(message)}`];
}

/** "file:line key: ..." for every key written twice in one mapping, in one pass over the document. */
function duplicateKeys(doc: Document, lines: LineCounter, source: string): string[] {
  const problems: string[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const item of map.items) {
        const key = item.key as { value?: unknown; range?: [number, number, number] } | null;
        const value = key && typeof key === 'object' && 'value' in key ? key.value : key;
        if (seen.has(value))
          problems.push(`${source}:${key?.range ? lines.linePos(key.range[0]).line : 1} ${JSON.stringify(String(value))}: the same key twice in one mapping`);
        seen.add(value);
      }
    },
  });
  return problems;
}

/** zod's type names as a YAML author calls them. */
const YAML_TYPE: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'text', number: 'a number', boolean: 'true or false' };

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** The line of each key of a YAML mapping node (empty for anything else). */
function keyLinesOf(node: unknown, lines: LineCounter): Map<string, number> {
  const found = new Map<string, number>();
  if (!isMap(node)) return found;
  for (const item of node.items) {
    const key = item.key as { value?: unknown; range?: [number, number, number] } | null;
    if (key && typeof key.value === 'string' && key.range && !found.has(key.value)) found.set(key.value, lines.linePos(key.range[0]).line);
  }
  return found;
}

/** "file:line" of the node at `path`, or of its nearest existing parent. */
function where(doc: Document, lines: LineCounter, source: string, path: (string | number)[]): string {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return `${source}:${lines.linePos(node.range[0]).line}`;
    if (n === path.length && n > 0) {
      // An unknown key: point at the key itself rather than its parent mapping.
      const parent = doc.getIn(path.slice(0, n - 1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === path[n - 1]);
        const range = (pair?.key as { range?: [number, number, number] } | null)?.range;
        if (range) return `${source}:${lines.linePos(range[0]).line}`;
      }
    }
  }
  return `${source}:1`;
}

/** phases[1].rate */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');
}

const KNOWN_KEYS: Record<string, string[]> = {
  '': ['name', 'description', 'speed', 'seed', 'target', 'client', 'request', 'mock', 'phases', 'faults', 'thresholds'],
  client: ['timeout', 'connections', 'maxInFlight', 'arrivals', 'retries', 'expectedStatuses', 'redirects', 'insecure', 'ca'],
  'client.retries': ['max', 'backoff', 'base', 'cap', 'respectRetryAfter', 'budget'],
  request: ['method', 'path', 'headers', 'body', 'mix'],
  'request.mix': ['name', 'share', 'method', 'path', 'headers', 'body'],
  phases: ['name', 'duration', 'rate', 'vus'],
};

/** The keys allowed where an unknown one was found, for the message. */
function allowedKeys(path: readonly (string | number)[]): string {
  const named = path.filter((k): k is string => typeof k === 'string').join('.');
  if (named === 'mock' || named.startsWith('mock.')) {
    const prefix = named === 'mock' ? '' : `${named.slice('mock.'.length)}.`;
    const keys = mockConfigPaths()
      .filter((p) => p.startsWith(prefix))
      .map((p) => p.slice(prefix.length).split('.')[0]!);
    return [...new Set(keys)].join(', ');
  }
  return (KNOWN_KEYS[named] ?? []).join(', ') || 'see docs/profile-format.md';
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
