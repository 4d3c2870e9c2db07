// The comparison as JSON (`compare --json`, schema "incident-load/compare@1"): every run's full result,
// so the document can be rendered or compared again later, and the comparison rows as the table shows them.
// Still @1: the rows only gained fields (allP50, allP99 and their differences); p50 and p99 became the
// successes' latencies, and a document with allP99 in its figures is one where they are.
import type { RunResult } from '../../result/run-result.js';
import type { Comparison, ComparisonRow, RunSource } from './comparison.js';

export const COMPARE_SCHEMA = 'incident-load/compare@1';

export interface ComparedRunDocument {
  label: string;
  name: string;
  source: RunSource;
  /** Null for a run that never started (compare was interrupted before its turn). */
  result: RunResult | null;
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
export function compareDocument(comparison: Comparison, results: readonly (RunResult | undefined)[], toolVersion: string): CompareDocument {
  return {
    schema: COMPARE_SCHEMA,
    tool: { name: 'incident-load', version: toolVersion },
    baseline: comparison.baseline,
    runs: comparison.runs.map((run, i) => ({ label: run.label, name: run.name, source: run.source, result: results[i] ?? null })),
    rows: comparison.rows,
  };
}
