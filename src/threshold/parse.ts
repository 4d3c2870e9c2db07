// The threshold language of `--threshold` and a profile's `thresholds:` list: `[phase][@class:]metric op
// value`, e.g. "p99<300ms", "surge: p99 < 90s", "all.p99 < 1s", "lag.p99 < 10ms", "success >= 95%",
// "errors < 1%", "rps >= 100/s", "dropped == 0", and with a request mix "@priority: success >= 99%" or
// "surge@priority: p99 < 2s". A threshold that cannot be understood is bad input (exit 2), never a
// silent pass, so every rejection quotes the expression and says what was expected.
import { parseDuration, parseRate } from '../core/units.js';

/** What a latency threshold can read from a latency summary. */
export const LATENCY_STATS = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'] as const;
export type LatencyStat = (typeof LATENCY_STATS)[number];

/**
 * Whose latency: a bare `p99` is of successes (k6's `expected_response:true`), because a service that
 * fails fast would otherwise read as fast; `all.p99` is of every completed request, failures included;
 * `lag.p99` is the send lag, how late the generator sent (open model only).
 */
export type LatencyMetric = LatencyStat | `all.${LatencyStat}` | `lag.${LatencyStat}`;
export type LatencyOf = 'ok' | 'all' | 'lag';

const prefixed = <P extends string>(prefix: P): `${P}${LatencyStat}`[] => LATENCY_STATS.map((s) => `${prefix}${s}` as const);
export const LATENCY_METRICS: readonly LatencyMetric[] = [...LATENCY_STATS, ...prefixed('all.'), ...prefixed('lag.')];
export const METRICS: readonly ThresholdMetric[] = [...LATENCY_METRICS, 'success', 'errors', 'rps', 'dropped'];
export const OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;

export type ThresholdMetric = LatencyMetric | 'success' | 'errors' | 'rps' | 'dropped';
export type ThresholdOperator = (typeof OPERATORS)[number];

/**
 * What the value (and the measured actual) is: incident milliseconds, a ratio 0..1, requests per
 * second, or a plain count.
 */
export type ThresholdUnit = 'ms' | 'ratio' | 'per-second' | 'count';

export interface Threshold {
  /** The expression as written (trimmed); results and messages quote it. */
  expr: string;
  /** The phase it is scoped to; undefined means the whole run (the total). */
  phase: string | undefined;
  /** The class of the request mix it is scoped to (within the phase or the total); undefined: all requests. */
  cls?: string | undefined;
  metric: ThresholdMetric;
  op: ThresholdOperator;
  /** In `unit`: ms for latencies, 0..1 for ratios and shares, per second for rps. */
  value: number;
  unit: ThresholdUnit;
}

/** Bad threshold text: the CLI reports it as a usage error (exit 2). */
export class ThresholdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThresholdError';
  }
}

const SHAPE = 'expected [phase][@class:]metric op value, such as "p99<300ms" or "surge: success >= 95%"';
// The 25 metric names in one readable list rather than spelled out.
const KNOWN_METRICS = `${LATENCY_STATS.join(', ')} (of successes), the same after "all." (every completed request) or "lag." (send lag), success, errors, rps, dropped`;
const LATENCY_EXPECTED = 'a latency with a unit such as 300ms (us, ms, s, m, h)';
const RATIO_EXPECTED = 'a percentage such as 95% or a ratio below 1 such as 0.95';
const RATE_EXPECTED = 'a rate such as 100 or 100/s';
const DROPPED_EXPECTED = 'a count such as 0 or a share of offered such as 1%';

const PHASE_NAME = /^[A-Za-z0-9][\w.-]*$/;
// metric, operator and the rest; each may be missing so the message can say which one is.
const PARTS = /^([A-Za-z][\w.]*)?\s*([<>=!]+)?\s*(.*)$/s;

export function parseThreshold(input: string): Threshold {
  const expr = typeof input === 'string' ? input.trim() : '';
  const fail = (what: string): never => {
    throw new ThresholdError(`threshold ${JSON.stringify(expr)}: ${what}`);
  };
  if (expr === '') fail(SHAPE);

  // A colon before the operator scopes the threshold to a phase, a class of the request mix, or both.
  let phase: string | undefined;
  let cls: string | undefined;
  let rest = expr;
  const colon = expr.indexOf(':');
  const opAt = expr.search(/[<>=!]/);
  if (colon >= 0 && (opAt < 0 || colon < opAt)) {
    const scope = expr.slice(0, colon).trim();
    rest = expr.slice(colon + 1).trim();
    const at = scope.indexOf('@');
    phase = at >= 0 ? scope.slice(0, at).trim() || undefined : scope;
    if (at >= 0) {
      cls = scope.slice(at + 1).trim();
      if (!PHASE_NAME.test(cls)) fail(`expected a class name (letters, digits, "-", "_" or ".") after "@", got ${JSON.stringify(cls)}`);
    }
    if (phase === '') fail('expected a phase name before ":", such as "surge: p99 < 1s"');
    if (phase !== undefined && !PHASE_NAME.test(phase))
      fail(`expected a phase name (letters, digits, "-", "_" or ".") before ":", got ${JSON.stringify(phase)}`);
  }
  const m = PARTS.exec(rest);
  const [, metricText, opText, valueText = ''] = m ?? [];
  if (metricText === undefined) return fail(SHAPE);

  const metric = toMetric(metricText);
  if (metric === undefined) fail(`unknown metric ${JSON.stringify(metricText)}: expected one of ${KNOWN_METRICS}`);
  const known = metric as ThresholdMetric;
  if (opText === undefined) return fail(`expected an operator (${OPERATORS.join(' ')}) after "${metricText}"`);
  if (!(OPERATORS as readonly string[]).includes(opText)) {
    const hint = opText === '=' ? ' (use == to compare for equality)' : '';
    fail(`unknown operator ${JSON.stringify(opText)}: expected one of ${OPERATORS.join(' ')}${hint}`);
  }
  const op = opText as ThresholdOperator;
  const { value, unit } = parseValue(known, valueText.trim(), fail, expr);
  return { expr, phase, ...(cls !== undefined ? { cls } : {}), metric: known, op, value, unit };
}

/** Parses every threshold, collecting every problem into one error (as `validate` reports a profile). */
export function parseThresholds(inputs: readonly string[]): Threshold[] {
  const parsed: Threshold[] = [];
  const problems: string[] = [];
  for (const input of inputs) {
    try {
      parsed.push(parseThreshold(input));
    } catch (err) {
      if (!(err instanceof ThresholdError)) throw err;
      problems.push(err.message);
    }
  }
  if (problems.length > 0) throw new ThresholdError(problems.join('; '));
  return parsed;
}

/** Throws when a threshold names a phase or a class the run does not have, naming those it does. */
export function checkThresholdPhases(thresholds: readonly Threshold[], phaseNames: readonly string[], classNames: readonly string[] = []): void {
  for (const t of thresholds) {
    const problem = scopeProblem(t, phaseNames, classNames);
    if (problem) throw new ThresholdError(`threshold ${JSON.stringify(t.expr)}: ${problem}`);
  }
}

/** What is wrong with a threshold's phase or class for a run with these, or undefined. */
export function scopeProblem(t: Threshold, phaseNames: readonly string[], classNames: readonly string[]): string | undefined {
  if (t.phase !== undefined && !phaseNames.includes(t.phase)) {
    return `no phase ${JSON.stringify(t.phase)} in this run: ${phaseNames.length > 0 ? `expected one of ${phaseNames.join(', ')}` : 'the run has no phases'}`;
  }
  if (t.cls !== undefined && !classNames.includes(t.cls)) {
    return `no class ${JSON.stringify(t.cls)} in this run: ${classNames.length > 0 ? `expected one of ${classNames.join(', ')}` : 'the run has no request mix (request.mix in the profile)'}`;
  }
  return undefined;
}

export function isLatencyMetric(metric: ThresholdMetric): metric is LatencyMetric {
  return (LATENCY_METRICS as readonly string[]).includes(metric);
}

/** A latency metric's two halves: whose latency, and which statistic of it ("all.p99" -> all, p99). */
export function latencyParts(metric: LatencyMetric): { of: LatencyOf; stat: LatencyStat } {
  const dot = metric.indexOf('.');
  if (dot < 0) return { of: 'ok', stat: metric as LatencyStat };
  return { of: metric.slice(0, dot) as LatencyOf, stat: metric.slice(dot + 1) as LatencyStat };
}

function toMetric(text: string): ThresholdMetric | undefined {
  // "p99.9" is another spelling of p999, with or without "all." or "lag." before it.
  const lower = text.toLowerCase().replace(/(^|\.)p99\.9$/, '$1p999');
  return (METRICS as readonly string[]).includes(lower) ? (lower as ThresholdMetric) : undefined;
}

type Fail = (what: string) => never;

function parseValue(metric: ThresholdMetric, text: string, fail: Fail, expr: string): { value: number; unit: ThresholdUnit } {
  const got = (expected: string): never => fail(`expected ${expected}${text === '' ? '' : `, got ${JSON.stringify(text)}`}`);
  if (isLatencyMetric(metric)) {
    if (text === '') return got(LATENCY_EXPECTED);
    if (/^[+-]?\d+(?:\.\d+)?$/.test(text)) fail(`a latency needs a unit: expected ${LATENCY_EXPECTED}, got ${JSON.stringify(text)}`);
    try {
      return { value: parseDuration(text), unit: 'ms' };
    } catch {
      return got(LATENCY_EXPECTED);
    }
  }
  if (metric === 'success' || metric === 'errors') {
    // The expression with another value in place of the one written (the value ends it).
    const ambiguous = ambiguousRatio(text, (value) => `${expr.slice(0, expr.length - text.length)}${value}`);
    if (ambiguous !== undefined) fail(ambiguous);
    const ratio = parseRatio(text);
    return ratio === undefined ? got(RATIO_EXPECTED) : { value: ratio, unit: 'ratio' };
  }
  if (metric === 'rps') {
    try {
      return { value: parseRate(text), unit: 'per-second' };
    } catch {
      return got(RATE_EXPECTED);
    }
  }
  // dropped: a count, or with % a share of offered
  if (text.endsWith('%')) {
    const ratio = parseRatio(text);
    return ratio === undefined ? got(DROPPED_EXPECTED) : { value: ratio, unit: 'ratio' };
  }
  if (!/^\d+$/.test(text)) return got(DROPPED_EXPECTED);
  return { value: Number(text), unit: 'count' };
}

/**
 * A bare number of 1 or more where a ratio or a percentage is meant: `errors < 1` reads as one percent
 * to a person and as the ratio 1 (every request) to a parser, and that reading holds at any error rate
 * short of total failure, the silent pass a threshold exists to prevent. So a bare number is a ratio
 * only below 1 (k6's `rate<0.01`); from 1 to 100 the unit is required and the message shows both
 * readings (above 100 no reading makes sense, and the usual message says what was expected).
 */
function ambiguousRatio(text: string, written: (value: string) => string): string | undefined {
  if (!/^(\d+(?:\.\d+)?|\.\d+)$/.test(text)) return undefined;
  const n = Number(text);
  if (n < 1 || n > 100) return undefined;
  const ratio = String(Number(`${text}e-2`));
  const percent = `write ${JSON.stringify(written(`${text}%`))} for ${text} percent (the ratio ${ratio})`;
  if (n === 1)
    return `a bare ${text} is ambiguous: ${percent}, or ${JSON.stringify(written('100%'))} for the ratio 1 (every request); a bare number is a ratio only below 1, such as 0.01`;
  return `a bare ${text} is ambiguous: ${percent}; read as a ratio it would be ${String(Number(`${text}e2`))}%, more than every request; a bare number is a ratio only below 1, such as ${ratio}`;
}

/** "0.95" or "95%" -> 0.95; undefined unless it lies in 0..1 (0%..100%). */
function parseRatio(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(%)?$/.exec(text);
  if (!m) return undefined;
  // "99.9e-2" parses to the double nearest 0.999, as a ratio measured as 999/1000 does; 99.9 / 100 does not.
  const ratio = Number(m[2] ? `${m[1]}e-2` : m[1]);
  return ratio >= 0 && ratio <= 1 ? ratio : undefined;
}
