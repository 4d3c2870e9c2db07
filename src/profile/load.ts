// Profiles from disk: a bundled name ("dalle-2023-03") or a path, YAML or JSON. Problems are reported
// all at once, each with its file, line and path: `profiles/x.yaml:12 phases[1].rate: expected ...`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../cli/usage-error.js';
import { defaultMockConfig, mockConfigPaths } from '../mock/config.js';
import type { Profile } from './profile.js';
import { profileSchema } from './schema.js';

/** Invalid profile: every problem, one per line. */
export class ProfileError extends UsageError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid profile (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.join('\n  ')}`);
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

export function loadProfile(ref: string): Profile {
  const { path, display } = resolveProfile(ref);
  return parseProfile(readFileSync(path, 'utf8'), display, basename(path, extname(path)));
}

/** Parses and validates profile text (YAML, which includes JSON); `source` names it in messages. */
export function parseProfile(text: string, source: string, fallbackName: string): Profile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => `${source}:${lineCounter.linePos(e.pos[0]).line} ${e.message.split('\n')[0]}`);
    throw new ProfileError(source, problems);
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ProfileError(source, [`${source}:1 expected a mapping with at least "phases:", got ${raw === null ? 'an empty file' : typeof raw}`]);
  }
  const result = profileSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue) => describeIssue(issue, doc, lineCounter, source));
    // In the order of the file, as an editor shows them (the schema's order is the order of its keys).
    const lineOf = (problem: string): number => Number(/^[^ ]*:(\d+) /.exec(problem)?.[1] ?? 0);
    throw new ProfileError(source, problems.sort((a, b) => lineOf(a) - lineOf(b)));
  }
  const p = result.data;
  return { ...p, name: p.name ?? fallbackName, source, mock: p.mock ?? defaultMockConfig() };
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter, source: string): string[] {
  const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${where(doc, lines, source, [...path, key])} ${formatPath([...path, key])}: unknown key (allowed: ${allowedKeys(path)})`);
  }
  const message = issue.code === 'invalid_type' && issue.input === undefined ? `missing (${issue.message.replace(/^Invalid input: /, '')})` : issue.message;
  return [`${where(doc, lines, source, path)} ${formatPath(path) || '(top level)'}: ${message}`];
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
  client: ['timeout', 'connections', 'maxInFlight', 'arrivals', 'retries'],
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
  return (KNOWN_KEYS[named] ?? []).join(', ') || 'see the profile format in the README';
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
