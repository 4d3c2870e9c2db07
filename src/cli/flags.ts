// Parsers for flag values: each failure is a UsageError naming the flag and what it expects.
import { parseDuration, parsePositiveDuration, UnitError } from '../profile/units.js';
import { UsageError } from './usage-error.js';

export function wholeNumberFlag(flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
      throw new UsageError(`${flag}: expected a whole number ${range}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

export function positiveNumberFlag(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: expected a number above zero, got ${JSON.stringify(value)}`);
    return n;
  };
}

export function durationFlag(flag: string, { positive }: { positive: boolean }): (value: string) => number {
  return (value) => {
    try {
      return positive ? parsePositiveDuration(value) : parseDuration(value);
    } catch (err) {
      throw new UsageError(`${flag}: ${err instanceof UnitError ? err.message : String(err)}`);
    }
  };
}

export function choiceFlag<T extends string>(flag: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!choices.includes(value as T)) throw new UsageError(`${flag}: expected one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
    return value as T;
  };
}

/** For repeatable flags: commander's accumulator. */
export function collect<T>(parse: (value: string) => T): (value: string, previous: T[] | undefined) => T[] {
  return (value, previous) => [...(previous ?? []), parse(value)];
}

/** "key=value" (the value may itself contain "="). */
export function keyValue(flag: string): (value: string) => [string, string] {
  return (value) => {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag}: expected key=value (e.g. fleet.workers=8), got ${JSON.stringify(value)}`);
    return [value.slice(0, eq).trim(), value.slice(eq + 1).trim()];
  };
}
