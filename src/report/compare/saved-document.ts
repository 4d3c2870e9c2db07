// A comparison saved by `compare --json` (schema "incident-load/compare@2"), read back to be rendered
// again (`incident-load report`): each run's result is read through the result schema (so a damaged one
// is named, as runs[1].result, and never drawn), and the comparison is built again from them, the same
// way compare built it. Verdicts on the differences (`significance.verdict`, written by a compare that
// judged them) are kept where the document has them, as text, to be shown beside their differences.
import { UsageError } from '../../core/errors.js';
import { LIMITS } from '../../core/limits.js';
import { COMPARE_SCHEMA } from '../../result/run-result.js';
import { toSavedResult } from '../../result/saved-result.js';
import type { CompareInput, RunSource } from './comparison.js';
import type { Metric } from './difference.js';

/** How a verdict is found again: the row's index in the comparison, the run's label, the metric. */
export function verdictKey(rowIndex: number, run: string, metric: Metric): string {
  return `${rowIndex}/${run}/${metric}`;
}

export interface SavedComparison {
  inputs: CompareInput[];
  /** "rowIndex/run/metric" -> verdict, as in the document's rows. */
  verdicts: Map<string, string>;
}

const EXPECTED = `expected a comparison (JSON of schema "${COMPARE_SCHEMA}", as written by compare --json)`;
const VERDICT = /^[a-z][a-z -]{0,39}$/i;

export function isCompareDocument(value: unknown): boolean {
  return isObject(value) && value.schema === COMPARE_SCHEMA;
}

export function toSavedComparison(value: unknown, source: string): SavedComparison {
  if (!isObject(value) || value.schema !== COMPARE_SCHEMA) throw new UsageError(`${source}: ${EXPECTED}`);
  const runs = value.runs;
  if (!Array.isArray(runs) || runs.length < 2 || runs.length > 1_000) throw new UsageError(`${source}: runs: expected 2 to 1000 runs, ${EXPECTED}`);
  const inputs = runs.map((run: unknown, i): CompareInput => {
    const where = `${source}: runs[${i}]`;
    if (!isObject(run) || typeof run.name !== 'string' || /[\u0000-\u001f\u007f-\u009f]/.test(run.name))
      throw new UsageError(`${where}: expected a run with a name`);
    const result = run.result === null ? undefined : toSavedResult(run.result, `${where}.result`);
    if (Array.isArray(run.repeats) && run.repeats.length >= LIMITS.repeatMax) {
      throw new UsageError(`${where}.repeats: expected at most ${LIMITS.repeatMax - 1} repeated runs`);
    }
    const repeats = Array.isArray(run.repeats) && result ? run.repeats.map((r: unknown, k) => toSavedResult(r, `${where}.repeats[${k}]`)) : [];
    return { name: result?.profile.name ?? run.name, source: sourceOf(run.source), result, ...(repeats.length > 0 ? { repeats } : {}) };
  });
  if (inputs.every((input) => input.result === undefined)) throw new UsageError(`${source}: no run in it was measured (every result is null)`);
  return { inputs, verdicts: verdictsOf(value.rows) };
}

/** Where the run came from as the document says; a file path only if it is printable text. */
function sourceOf(value: unknown): RunSource {
  if (isObject(value) && value.kind === 'file' && typeof value.path === 'string' && !/[\u0000-\u001f\u007f-\u009f]/.test(value.path)) {
    return { kind: 'file', path: value.path.slice(0, 1_000) };
  }
  return { kind: 'ran' };
}

/** Verdicts are optional and only shown: whatever is not a short word is left out rather than refused. */
function verdictsOf(rows: unknown): Map<string, string> {
  const verdicts = new Map<string, string>();
  if (!Array.isArray(rows)) return verdicts;
  rows.forEach((row: unknown, rowIndex) => {
    if (!isObject(row) || !Array.isArray(row.cells)) return;
    for (const cell of row.cells as unknown[]) {
      if (!isObject(cell) || typeof cell.run !== 'string' || !isObject(cell.differences)) continue;
      for (const [metric, difference] of Object.entries(cell.differences)) {
        const verdict = isObject(difference) && isObject(difference.significance) ? difference.significance.verdict : undefined;
        if (typeof verdict === 'string' && VERDICT.test(verdict)) verdicts.set(verdictKey(rowIndex, cell.run, metric as Metric), verdict);
      }
    }
  });
  return verdicts;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
