// A result saved by `ramp --json`, read back for compare: the text must be JSON of schema
// "incident-load/result@1" with the parts compare draws. Anything else is bad input (exit 2), named by
// its file and by what was expected, never a crash half-way through the report.
import { UsageError } from '../../cli/usage-error.js';
import { RESULT_SCHEMA, type RunResult } from '../result.js';
import { COMPARE_SCHEMA } from './document.js';

const EXPECTED = `expected a saved result (JSON of schema "${RESULT_SCHEMA}", as written by ramp --json) or a profile`;

/** Parsed JSON that is not a result but looks like a JSON profile (profiles have no "schema" key). */
export function looksLikeProfile(value: unknown): boolean {
  return isObject(value) && !('schema' in value) && 'phases' in value;
}

/** The JSON value of a .json argument; `source` names the file in messages. */
export function parseJsonArgument(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${source}: not valid JSON (${err instanceof Error ? err.message : String(err)}); ${EXPECTED}`);
  }
}

export function toSavedResult(value: unknown, source: string): RunResult {
  if (!isObject(value)) throw new UsageError(`${source}: ${EXPECTED}, got ${Array.isArray(value) ? 'an array' : `a JSON ${value === null ? 'null' : typeof value}`}`);
  if (value.schema !== RESULT_SCHEMA) {
    const got = typeof value.schema === 'string' ? `schema "${value.schema}"` : 'JSON without a "schema" field';
    const hint = value.schema === COMPARE_SCHEMA ? ' (a comparison written by compare --json: compare the results it holds, or the files they came from)' : '';
    throw new UsageError(`${source}: ${EXPECTED}, got ${got}${hint}`);
  }
  const missing = [
    ['profile', isObject(value.profile)],
    ['phases', Array.isArray(value.phases)],
    ['total', isObject(value.total)],
    ['timeline', Array.isArray(value.timeline)],
    ['faults', Array.isArray(value.faults)],
    ['thresholds', Array.isArray(value.thresholds)],
  ]
    .filter(([, ok]) => !ok)
    .map(([key]) => key);
  const damaged = (what: string): UsageError => new UsageError(`${source}: schema "${RESULT_SCHEMA}" but ${what}; the file is damaged or was not written by ramp --json`);
  if (missing.length > 0) throw damaged(`${missing.join(', ')} missing or of the wrong type`);
  const phases = [...(value.phases as unknown[]).map((p, i): [unknown, string] => [p, `phases[${i}]`]), [value.total, 'total'] as [unknown, string]];
  for (const [phase, path] of phases) {
    const problem = phaseProblem(phase, path);
    if (problem) throw damaged(problem);
  }
  return value as unknown as RunResult;
}

/** What compare would trip over in a phase result (or in one of its request-mix classes), if anything. */
function phaseProblem(phase: unknown, path: string): string | undefined {
  if (!isObject(phase)) return `${path} is not an object`;
  const wrong = [
    ['name', typeof phase.name === 'string'],
    ['offered', typeof phase.offered === 'number'],
    ['sent', typeof phase.sent === 'number'],
    ['attempts', typeof phase.attempts === 'number'],
    ['successRatio', typeof phase.successRatio === 'number'],
    ['rps', isObject(phase.rps) && typeof phase.rps.goodput === 'number'],
    ['latencyMs', phase.latencyMs === null || isObject(phase.latencyMs)],
    ['statuses', isObject(phase.statuses)],
    ['errors', isObject(phase.errors)],
    ['mix', phase.mix === undefined || Array.isArray(phase.mix)],
  ]
    .filter(([, ok]) => !ok)
    .map(([key]) => `${path}.${String(key)}`);
  if (wrong.length > 0) return `${wrong.join(', ')} missing or of the wrong type`;
  for (const [i, cls] of ((phase.mix as unknown[] | undefined) ?? []).entries()) {
    const problem = phaseProblem(cls, `${path}.mix[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
