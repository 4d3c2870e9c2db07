// A sweep as JSON (`sweep --json`, schema "incident-load/sweep@1"): what was varied over which values, and
// every variant's full result (schema result@2), so each variant can be rendered, compared or judged again
// later (`report`, `compare` take a variant's `result` saved on its own).
import type { RunResult } from './run-result.js';

export const SWEEP_SCHEMA = 'incident-load/sweep@1';

export interface SweepVaryDocument {
  /** As written: `mock.fleet.workers`, `client.timeout`, `rate`. */
  key: string;
  /** In the order given; a number when written as a plain number, else the text as written ("5s", "poisson"). */
  values: (number | string)[];
}

export interface SweepVariantDocument {
  /** This variant's value of each varied key. */
  values: Record<string, number | string>;
  /** Null for a variant that never ran (the sweep was interrupted before its turn). */
  result: RunResult | null;
}

export interface SweepDocument {
  schema: typeof SWEEP_SCHEMA;
  tool: { name: string; version: string };
  /** The profile's name. */
  profile: string;
  /** One or two; with two, the variants are their product (the first's values outer). */
  vary: SweepVaryDocument[];
  variants: SweepVariantDocument[];
}
