// The readers of the proxy's fault params: the kernel's (src/core/values.ts, units.ts), so `latency=200ms`
// from the CLI, `"latency": "200ms"` in JSON and `latency: 200ms` in YAML read alike, with the usual
// "expected ..., got ..." message, and every value within a stated range. Durations are wall ms: the
// proxy stands in front of a real service, whose time is the wall's.
import type { z } from 'zod';
import { parsedField } from '../../core/parsed-field.js';
import { parseBytes, parseDuration, parseRate, UnitError } from '../../core/units.js';
import * as values from '../../core/values.js';

/** The longest a proxy fault may hold anything: an hour (a timer, a delay, a queue wait). */
export const LONGEST_MS = 3_600_000;

export const proxyValue = {
  /** 0 up to an hour. */
  duration: (): z.ZodType<number, unknown> =>
    parsedField((raw) => {
      const ms = parseDuration(raw);
      if (ms > LONGEST_MS) throw new UnitError('a duration of at most 1h', raw);
      return ms;
    }),
  /** Above 0, up to an hour. */
  positiveDuration: (): z.ZodType<number, unknown> =>
    parsedField((raw) => {
      const ms = parseDuration(raw);
      if (!(ms > 0) || ms > LONGEST_MS) throw new UnitError('a duration above zero and at most 1h, such as "2s"', raw);
      return ms;
    }),
  /** 0 to 1: 0.1 or "10%". */
  share: (): z.ZodType<number, unknown> => parsedField(values.fraction('a share from 0 to 1, such as 0.1 or "10%"', (n) => n >= 0 && n <= 1)),
  wholeNumber: (min: number, max: number): z.ZodType<number, unknown> => parsedField(values.wholeNumber(min, max)),
  /** Requests per second, "5/s", "300/m" or a bare number, above 0 and at most a million a second. */
  requestRate: (): z.ZodType<number, unknown> =>
    parsedField((raw) => {
      const rate = parseRate(raw);
      if (!(rate > 0) || rate > 1e6) throw new UnitError('a rate above zero and at most 1000000/s, such as "50/s"', raw);
      return rate;
    }),
  /** Bytes per second, "64KB/s", "1MB/s" or a bare number of bytes per second, from 1 B/s to 10 GB/s. */
  byteRate: (): z.ZodType<number, unknown> =>
    parsedField((raw) => {
      const expected = 'a rate of bytes from 1 to 10GB per second, such as "64KB/s" or a number of bytes per second';
      let rate: number;
      try {
        if (typeof raw === 'number') rate = parseBytes(raw);
        else if (typeof raw === 'string') {
          const m = /^(.*?)(?:\/\s*(s|m|h))?\s*$/.exec(raw);
          rate = parseBytes(m?.[1] ?? '') / { s: 1, m: 60, h: 3600 }[(m?.[2] ?? 's') as 's' | 'm' | 'h'];
        } else throw new UnitError(expected, raw);
      } catch {
        throw new UnitError(expected, raw);
      }
      if (!(rate >= 1) || rate > 10e9) throw new UnitError(expected, raw);
      return rate;
    }),
  oneOf: <T extends string>(choices: readonly T[]): z.ZodType<T, unknown> => parsedField(values.oneOf(choices)),
};
