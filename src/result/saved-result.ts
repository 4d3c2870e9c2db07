// A result saved by `ramp --json`, read back (compare, merge, report): the file at most 256 MB (one
// reader for all of them), the text JSON of schema
// "incident-load/result@2", read through its schema (schema.ts). Anything else is bad input (exit 2),
// named by its file and by what was wrong, never a crash or a NaN half-way through a report; a result of
// an older schema is named as such.
import { UsageError } from '../core/errors.js';
import { COMPARE_SCHEMA, RESULT_SCHEMA, type RunResult } from './run-result.js';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { readRunResult } from './schema.js';

const EXPECTED_RESULT = `expected a saved result (JSON of schema "${RESULT_SCHEMA}", as written by ramp --json)`;

/** What the argument should have been: a result, or (for compare, which also runs profiles) either. */
const expected = (orProfile: boolean): string => (orProfile ? `${EXPECTED_RESULT} or a profile` : EXPECTED_RESULT);

/** Parsed JSON that is not a result but looks like a JSON profile (profiles have no "schema" key). */
export function looksLikeProfile(value: unknown): boolean {
  return isObject(value) && !('schema' in value) && 'phases' in value;
}

/** The JSON value of a .json argument; `source` names the file in messages, `orProfile` when a profile would do too. */
export function parseJsonArgument(text: string, source: string, orProfile = false): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${source}: not valid JSON (${err instanceof Error ? err.message : String(err)}); ${expected(orProfile)}`);
  }
}

export function toSavedResult(value: unknown, source: string, orProfile = false): RunResult {
  const EXPECTED = expected(orProfile);
  if (!isObject(value))
    throw new UsageError(`${source}: ${EXPECTED}, got ${Array.isArray(value) ? 'an array' : `a JSON ${value === null ? 'null' : typeof value}`}`);
  if (value.schema !== RESULT_SCHEMA) {
    const got = typeof value.schema === 'string' ? `schema ${JSON.stringify(value.schema)}` : 'JSON without a "schema" field';
    const older = typeof value.schema === 'string' && /^incident-load\/result@1$/.test(value.schema);
    const hint =
      value.schema === COMPARE_SCHEMA
        ? ' (a comparison written by compare --json: compare the results it holds, or the files they came from)'
        : older
          ? ' (written by an older incident-load, without the histograms this one reads: run the profile again)'
          : '';
    throw new UsageError(`${source}: ${EXPECTED}, got ${got}${hint}`);
  }
  const read = readRunResult(value);
  if (read.ok) return read.result;
  const shown = read.problems.slice(0, 5).join('; ');
  const more = read.problems.length > 5 ? ` (and ${read.problems.length - 5} more)` : '';
  throw new UsageError(`${source}: schema "${RESULT_SCHEMA}" but ${shown}${more}; the file is damaged or was not written by ramp --json`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Results this large are not ours (a 4-hour replay with a mix writes a few MB). */
export const RESULT_BYTES_MAX = 256 * 1024 * 1024;

/** What a JSON file given to a reader should have been, for its messages. */
export interface JsonFileKind {
  /** What the argument should have been, e.g. `expected a saved result (JSON of schema …)`. */
  expected: string;
  /** What to say of a file that is not there, e.g. `expected a saved result from ramp --json`. */
  missing: string;
  /** A JSON profile would do too (compare runs profiles). */
  orProfile?: boolean;
}

const RESULT_FILE: JsonFileKind = { expected: EXPECTED_RESULT, missing: 'expected a saved result from ramp --json' };

/** What compare reads: a saved result, or a JSON profile. */
export const RESULT_OR_PROFILE_FILE: JsonFileKind = {
  expected: expected(true),
  missing: 'expected a saved result from ramp --json, a directory of them, or a profile',
  orProfile: true,
};

/**
 * The JSON value of a file a reader was given (a result, a comparison; every reader reads through this
 * one): a regular file (never a directory, a FIFO or /dev/zero) of at most RESULT_BYTES_MAX, parsed;
 * every problem a UsageError naming `path`.
 */
export function readJsonFile(path: string, kind: JsonFileKind): unknown {
  if (!existsSync(path)) throw new UsageError(`${path}: no such file (${kind.missing})`);
  // Checked before opening too: opening a named pipe for reading would wait for a writer.
  const tooLarge = (size: number): boolean => size > RESULT_BYTES_MAX;
  const refuse = (): UsageError => new UsageError(`${path}: ${kind.expected}, and this is not a regular file of at most ${RESULT_BYTES_MAX / 1024 / 1024} MB`);
  const stat = statSync(path);
  if (!stat.isFile() || tooLarge(stat.size)) throw refuse();
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new UsageError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)}): ${kind.expected}`);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile() || tooLarge(opened.size)) throw refuse();
    return parseJsonArgument(readFileSync(fd, 'utf8'), path, kind.orProfile);
  } finally {
    closeSync(fd);
  }
}

/** A saved result file, read and checked: every problem is a UsageError naming `path`. */
export function readSavedResult(path: string): RunResult {
  return toSavedResult(readJsonFile(path, RESULT_FILE), path);
}
