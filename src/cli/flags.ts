// Parsers for flag values: the same readers profiles use (src/profile/values.ts, units.ts), so a flag and
// a profile field accept the same values with the same limits. Each failure is a UsageError naming the
// flag and what it expects.
import { parseDuration, parsePositiveDuration, UnitError } from '../core/units.js';
import { oneOf, type Reader } from '../core/values.js';
import { UsageError } from '../core/errors.js';

/** A flag read by `reader`: its UnitError becomes "--flag: expected ..., got ...". */
export function valueFlag<T>(flag: string, reader: Reader<T>): (value: string) => T {
  return (value) => {
    try {
      return reader(value);
    } catch (err) {
      if (err instanceof UnitError) throw new UsageError(`${flag}: ${err.message}`);
      throw err;
    }
  };
}

export function durationFlag(flag: string, { positive }: { positive: boolean }): (value: string) => number {
  return valueFlag(flag, positive ? parsePositiveDuration : parseDuration);
}

export function choiceFlag<T extends string>(flag: string, choices: readonly T[]): (value: string) => T {
  return valueFlag(flag, oneOf(choices));
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
