// The leaves of the mock's configuration, each with two readings: "input" (what a human writes in a
// profile, a --mock flag or a `set` fault: units required, the shared value readers of src/core/) and
// "data" (an already parsed MockConfig handed to the library or to the mock's child process, checked
// again so a JavaScript caller with a typo still gets a clear error).
import { z } from 'zod';
import { UnitError, parseBytes, parseDuration, parseRate } from '../../core/units.js';
import { parsedField } from '../../core/parsed-field.js';
import { HEADER_NAME, HEADER_NAME_EXPECTED, parseHeaderName } from '../../core/http-header.js';
import * as values from '../../core/values.js';
import type { QueueOrder, ServiceTime } from './types.js';

/** Which reading of a leaf: what a human writes (units required), or an already parsed value (numbers). */
export type Mode = 'input' | 'data';

/** A leaf reading either human input (`parseInput`) or an already parsed number/value (`data`). */
export function leaf<T>(mode: Mode, parseInput: (raw: unknown) => T, data: z.ZodType<T>): z.ZodType<T, unknown> {
  return mode === 'data' ? (data as z.ZodType<T, unknown>) : parsedField(parseInput);
}

export function duration(mode: Mode): z.ZodType<number, unknown> {
  return leaf(mode, parseDuration, z.number().finite().nonnegative());
}

export function positiveDuration(mode: Mode): z.ZodType<number, unknown> {
  return leaf(
    mode,
    (raw) => {
      const ms = parseDuration(raw);
      if (!(ms > 0)) throw new UnitError('a duration above zero, such as "30s"', raw);
      return ms;
    },
    z.number().finite().positive(),
  );
}

export function wholeNumber(mode: Mode, min: number, max = Number.MAX_SAFE_INTEGER): z.ZodType<number, unknown> {
  return leaf(mode, values.wholeNumber(min, max), z.number().int().min(min).max(max));
}

export function fraction(mode: Mode, expected: string, accept: (n: number) => boolean): z.ZodType<number, unknown> {
  return leaf(mode, values.fraction(expected, accept), z.number().refine(accept, expected));
}

/** Above zero and at most `max` (1e9 unless given: a burst, a factor). */
export function positiveNumber(mode: Mode, expected: string, max = 1e9): z.ZodType<number, unknown> {
  return fraction(mode, `${expected} (at most ${max})`, (n) => n > 0 && n <= max);
}

export function bytes(mode: Mode): z.ZodType<number, unknown> {
  return leaf(mode, parseBytes, z.number().finite().nonnegative());
}

const BYTE_RATE_EXPECTED = 'a rate of bytes such as "50MB/s" or a number of bytes per second';

/** Bytes per second from "50MB/s", "3GB/m" or a bare number (bytes per second). */
export function parseByteRate(input: unknown): number {
  if (typeof input === 'number') return parseBytes(input);
  if (typeof input !== 'string') throw new UnitError(BYTE_RATE_EXPECTED, input);
  const m = /^(.*?)(?:\/\s*(s|m|h))?\s*$/.exec(input);
  const per = { s: 1, m: 60, h: 3600 }[(m?.[2] ?? 's') as 's' | 'm' | 'h'];
  try {
    return parseBytes(m?.[1] ?? '') / per;
  } catch {
    throw new UnitError(BYTE_RATE_EXPECTED, input);
  }
}

export function byteRate(mode: Mode): z.ZodType<number, unknown> {
  return leaf(mode, parseByteRate, z.number().finite().nonnegative());
}

export function requestRate(mode: Mode): z.ZodType<number, unknown> {
  return leaf(
    mode,
    (raw) => {
      const rate = parseRate(raw);
      if (!(rate > 0)) throw new UnitError('a rate above zero, such as "50/s"', raw);
      return rate;
    },
    z.number().finite().positive(),
  );
}

export function flag(mode: Mode): z.ZodType<boolean, unknown> {
  return leaf(mode, values.flag, z.boolean());
}

/** A request header name; people may write any case, the model keeps it lower-case (as node:http does). */
export function headerName(mode: Mode): z.ZodType<string, unknown> {
  return leaf(mode, parseHeaderName, z.string().regex(HEADER_NAME, `expected ${HEADER_NAME_EXPECTED} in lower case`));
}

const QUEUE_ORDERS = ['fifo', 'lifo', 'adaptive-lifo'] as const;

export function queueOrder(mode: Mode): z.ZodType<QueueOrder, unknown> {
  return leaf(mode, values.oneOf(QUEUE_ORDERS), z.enum(QUEUE_ORDERS));
}

const SERVICE_TIME_EXPECTED = 'a service time such as "20s", "exp:20s", "lognormal:20s:0.5" or "uniform:10s:30s"';

/** "20s" | "exp:20s" | "lognormal:20s:0.5" (mean, sigma) | "uniform:10s:30s" -> a ServiceTime. */
export function parseServiceTime(input: unknown): ServiceTime {
  if (typeof input !== 'string') throw new UnitError(SERVICE_TIME_EXPECTED, input);
  const parts = input.trim().split(':');
  try {
    const [kind, a, b] = parts;
    let parsed: ServiceTime | undefined;
    if (parts.length === 1) parsed = { dist: 'constant', mean: parseDuration(kind) };
    else if (kind === 'constant' && parts.length === 2) parsed = { dist: 'constant', mean: parseDuration(a) };
    else if (kind === 'exp' && parts.length === 2) parsed = { dist: 'exp', mean: parseDuration(a) };
    else if (kind === 'lognormal' && parts.length === 3) {
      const sigma = Number(b);
      if (b?.trim() !== '' && Number.isFinite(sigma) && sigma > 0) parsed = { dist: 'lognormal', mean: parseDuration(a), sigma };
    } else if (kind === 'uniform' && parts.length === 3) parsed = { dist: 'uniform', min: parseDuration(a), max: parseDuration(b) };
    const problem = parsed && serviceTimeProblem(parsed);
    if (parsed && !problem) return parsed;
  } catch {
    // fall through to the one message that says what is accepted
  }
  throw new UnitError(SERVICE_TIME_EXPECTED, input);
}

function serviceTimeProblem(s: ServiceTime): string | undefined {
  if (s.dist === 'uniform') return s.min <= s.max && s.max > 0 ? undefined : 'uniform needs 0 ≤ min ≤ max and max > 0';
  return s.mean > 0 ? undefined : 'the mean service time must be above zero';
}

/** Mean of a service-time distribution, incident ms. */
export function meanServiceTime(s: ServiceTime): number {
  return s.dist === 'uniform' ? (s.min + s.max) / 2 : s.mean;
}

export function serviceTime(mode: Mode): z.ZodType<ServiceTime, unknown> {
  const positive = z.number().finite().positive();
  const data = z
    .discriminatedUnion('dist', [
      z.strictObject({ dist: z.literal('constant'), mean: positive }),
      z.strictObject({ dist: z.literal('exp'), mean: positive }),
      z.strictObject({ dist: z.literal('lognormal'), mean: positive, sigma: positive }),
      z.strictObject({ dist: z.literal('uniform'), min: z.number().finite().nonnegative(), max: positive }),
    ])
    .refine((s) => serviceTimeProblem(s) === undefined, { message: 'uniform needs min ≤ max' });
  return leaf(mode, parseServiceTime, data);
}

/**
 * Readers for single human-written values, shared with the faults' params so that "30s", "4GB", "10%" or
 * "8" mean the same in a fault as in the config. Each accepts what a CLI `k=v` or JSON gives (strings,
 * numbers, booleans) and fails with "expected ..., got ...".
 */
export const mockValue = {
  duration: (): z.ZodType<number, unknown> => duration('input'),
  positiveDuration: (): z.ZodType<number, unknown> => positiveDuration('input'),
  wholeNumber: (min: number, max?: number): z.ZodType<number, unknown> => wholeNumber('input', min, max),
  bytes: (): z.ZodType<number, unknown> => bytes('input'),
  share: (): z.ZodType<number, unknown> => fraction('input', 'a share from 0 to 1, such as 0.1 or "10%"', (n) => n >= 0 && n <= 1),
  positiveNumber: (expected: string): z.ZodType<number, unknown> => positiveNumber('input', expected),
};
