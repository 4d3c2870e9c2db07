// A zod field read by one of the unit parsers (src/profile/units.ts, the mock's service-time parser, ...),
// which throw a one-sentence message saying what was expected: the message becomes the field's issue, so
// it reaches the user with the field's path and line.
import { z } from 'zod';

export function parsedField<T>(parse: (raw: unknown) => T): z.ZodType<T, unknown> {
  return z.unknown().transform((raw, ctx) => {
    try {
      return parse(raw);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
      return z.NEVER;
    }
  });
}
