// The comparison as JSON (`compare --json`, schema "incident-load/compare@2"): every run's full result,
// so the document can be rendered or compared again later, and the comparison rows as the table shows them.
// @2 over @1: its runs are results of schema @2; p50 and p99 are the successes' latencies (allP50 and
// allP99 every completion's).
import { COMPARE_SCHEMA, type RunResult } from '../../result/run-result.js';
import type { Comparison, ComparisonRow, RunSource } from './comparison.js';

export { COMPARE_SCHEMA };

export interface ComparedRunDocument {
  label: string;
  name: string;
  source: RunSource;
  /** Null for a run that never started (compare was interrupted before its turn). */
  result: RunResult | null;
  /** Repeated runs of the same configuration beyond `result` (compare --repeat, a directory of saved runs). */
  repeats?: RunResult[];
}

export interface CompareDocument {
  schema: typeof COMPARE_SCHEMA;
  tool: { name: string; version: string };
  /** Label of the run the differences are measured against. */
  baseline: string;
  runs: ComparedRunDocument[];
  /** Phases in the order of the first run, then "total"; one cell per run, in run order. */
  rows: ComparisonRow[];
}

/** `results` in the order of `comparison.runs`. */
export function compareDocument(
  comparison: Comparison,
  results: readonly (RunResult | undefined)[],
  toolVersion: string,
  repeats: readonly (RunResult[] | undefined)[] = [],
): CompareDocument {
  return {
    schema: COMPARE_SCHEMA,
    tool: { name: 'incident-load', version: toolVersion },
    baseline: comparison.baseline,
    runs: comparison.runs.map((run, i) => ({
      label: run.label,
      name: run.name,
      source: run.source,
      result: results[i] ?? null,
      ...(repeats[i]?.length ? { repeats: repeats[i] } : {}),
    })),
    rows: comparison.rows,
  };
}
