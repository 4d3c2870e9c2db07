// One reader per kind of value a person writes, with its range: the same rule for a flag (always text),
// a profile field (YAML numbers, booleans or text) and a mock setting. Every range is finite and stated
// here once, so "--connections 100001" and "connections: 100001" fail alike, with the same message, and
// no number can be so large that the run never ends or runs out of memory (a rate of 1e12/s, 1e8 users,
// a speed of 1e9). Readers throw UnitError ("expected ..., got ..."); callers add where (flag, file, field).
import { LIMITS } from './limits.js';
import { UnitError } from './units.js';

export { LIMITS };

/** Reads an untrusted value; throws UnitError saying what was expected. */
export type Reader<T> = (raw: unknown) => T;

/** "a whole number from 1 to 100000" */
function rangeText(min: number, max: number): string {
  return max >= Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
}

/** A whole number in [min, max], written as a number or as digits ("8"). */
export function wholeNumber(min: number, max: number = Number.MAX_SAFE_INTEGER, expected = rangeText(min, max)): Reader<number> {
  return (raw) => {
    const n = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) throw new UnitError(expected, raw);
    return n;
  };
}

/** A finite number, written as a number or as decimal text ("0.5"), accepted when `accept` says so. */
export function realNumber(expected: string, accept: (n: number) => boolean): Reader<number> {
  return (raw) => {
    const n = typeof raw === 'string' && /^\s*\d+(?:\.\d+)?(?:e[+-]?\d+)?\s*$/i.test(raw) ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isFinite(n) || !accept(n)) throw new UnitError(expected, raw);
    return n;
  };
}

/** A share of something: 0.1 or "10%", accepted when `accept` says so. */
export function fraction(expected: string, accept: (n: number) => boolean): Reader<number> {
  return (raw) => {
    let n: unknown = raw;
    if (typeof raw === 'string') {
      const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(raw);
      // "99.9e-2" is the double nearest 0.999, as a ratio measured as 999/1000 is; 99.9 / 100 is not.
      n = m ? Number(m[2] ? `${m[1]}e-2` : m[1]) : NaN;
    }
    if (typeof n !== 'number' || !Number.isFinite(n) || !accept(n)) throw new UnitError(expected, raw);
    return n;
  };
}

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, on: true, off: false, yes: true, no: false };

/** true/false, also written on/off or yes/no. */
export const flag: Reader<boolean> = (raw) => {
  const value = typeof raw === 'string' ? BOOLEAN_WORDS[raw.trim().toLowerCase()] : raw;
  if (typeof value !== 'boolean') throw new UnitError('true or false', raw);
  return value;
};

/** One of the given words. */
export function oneOf<T extends string>(values: readonly T[]): Reader<T> {
  const expected = values.join(', ').replace(/, ([^,]*)$/, ' or $1');
  return (raw) => {
    if (typeof raw !== 'string' || !values.includes(raw as T)) throw new UnitError(expected, raw);
    return raw as T;
  };
}

/**
 * Text, at most `maxLength` characters, without control characters (they would reach the terminal) or
 * the line and paragraph separators U+2028 and U+2029 (YAML 1.1 readers such as kubectl's break lines
 * there, and NEL U+0085, a control character: text after one would be read as YAML).
 */
export function text(maxLength = 100_000, { multiline = false } = {}): Reader<string> {
  const controls = multiline ? /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/ : /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
  return (raw) => {
    if (typeof raw !== 'string') throw new UnitError('text', raw);
    if (raw.length > maxLength) throw new UnitError(`text of at most ${maxLength} characters`, `${raw.length} characters`);
    if (controls.test(raw))
      throw new UnitError(`text without control characters or line separators (U+2028, U+2029)${multiline ? ' (newlines and tabs are fine)' : ''}`, raw);
    return raw;
  };
}

export const speed = realNumber(`a number from ${LIMITS.speedMin} to ${LIMITS.speedMax}`, (n) => n >= LIMITS.speedMin && n <= LIMITS.speedMax);
export const seed = wholeNumber(0, LIMITS.seedMax);
export const connections = wholeNumber(1, LIMITS.connectionsMax);
export const maxInFlight = wholeNumber(1, LIMITS.maxInFlightMax);
export const retries = wholeNumber(0, LIMITS.retriesMax);
export const redirects = wholeNumber(0, LIMITS.redirectsMax);
export const workers = wholeNumber(1, LIMITS.workersMax, `a whole number of worker threads from 1 to ${LIMITS.workersMax}, or auto`);
export const vus = wholeNumber(1, LIMITS.vusMax, `a whole number of virtual users from 1 to ${LIMITS.vusMax}`);
export const port = wholeNumber(0, 65_535, 'a port from 0 to 65535');
export const repeat = wholeNumber(1, LIMITS.repeatMax, `a whole number of runs a side from 1 to ${LIMITS.repeatMax}`);
