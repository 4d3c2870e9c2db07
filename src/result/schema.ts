// The result JSON ("incident-load/result@2") as a schema, for reading a saved result back (compare, and
// every report rendered from a file). Types alone are not enough: the file may have been edited, cut
// short or written by something else, and a report drawn from it must never print NaN, crash half-way
// or pass a terminal escape through. So every field is checked for its type and its range (counts are
// whole and never negative, percentiles ordered, shares within 0..1, what finished never more than what
// was sent), histograms must decode, and text must be printable.
import { z } from 'zod';
import { LIMITS } from '../core/limits.js';
import { decodeHistogram } from '../core/latency-histogram.js';
import { decodeBudget, HistogramDecodeError, type DecodeBudget } from '../core/histogram-decode.js';
import { RESULT_SCHEMA, type LatencySummary, type PhaseResult, type RunResult } from './run-result.js';

const printable = z
  .string()
  .max(10_000)
  .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'expected text without control characters');
const count = z.number().int().nonnegative();

/**
 * How much of each thing a result may hold: what a run can write (a profile's own limits, and the 400
 * windows a run gets), with room to spare. A file beyond is not ours, and reading it would not end well:
 * 200,000 error kinds or thresholds overflowed the stack while the report was rendered, 10,000 phases
 * took minutes, 200,000 faults made a 110 MB HTML page. Documented in docs/limits.md.
 */
export const RESULT_LIMITS = {
  phases: LIMITS.phasesMax,
  classes: LIMITS.classesMax,
  headers: LIMITS.headersMax,
  faults: LIMITS.faultsMax,
  thresholds: LIMITS.thresholdsMax,
  /** Kinds of error in one phase: the tool has a few dozen (error codes); each is a row of the report. */
  errorKinds: 100,
  /** A fault's params: keys, and how deep a value nests. */
  paramKeys: 100,
  paramDepth: 8,
  windows: 10_000,
  segments: 10_000,
} as const;

const atMost = (n: number, what: string) => ({ message: `expected at most ${n} ${what}` });
/** An object of at most `n` keys (counted without building anything). */
const fewKeys =
  (n: number) =>
  (o: object): boolean => {
    let keys = 0;
    for (const _ in o) if (++keys > n) return false;
    return true;
  };

/** A JSON value nested at most `depth` deep (arrays and objects), walked without recursion. */
function shallow(value: unknown, depth: number): boolean {
  let level: unknown[] = [value];
  for (let d = 0; level.length > 0; d++) {
    const next: unknown[] = [];
    for (const v of level) {
      if (typeof v !== 'object' || v === null) continue;
      if (d >= depth) return false;
      for (const inner of Object.values(v)) next.push(inner);
    }
    level = next;
  }
  return true;
}
const nonNegative = z.number().finite().nonnegative();

const latencySummary: z.ZodType<LatencySummary> = z
  .object({ min: nonNegative, mean: nonNegative, p50: nonNegative, p90: nonNegative, p95: nonNegative, p99: nonNegative, p999: nonNegative, max: nonNegative })
  .refine((l) => ordered([l.min, l.p50, l.p90, l.p95, l.p99, l.p999, l.max]) && l.mean >= l.min * (1 - 1e-9) && l.mean <= l.max * (1 + 1e-9), {
    message: 'expected min ≤ p50 ≤ p90 ≤ p95 ≤ p99 ≤ p99.9 ≤ max, and the mean between min and max',
  });

/** The decoding budget of the file being read (readRunResult sets it): all its histograms share it. */
let fileBudget: DecodeBudget | undefined;

const histogram = z.string().superRefine((text, ctx) => {
  try {
    decodeHistogram(text, fileBudget);
  } catch (err) {
    const why = err instanceof HistogramDecodeError ? `: ${err.message}` : '';
    ctx.addIssue({ code: 'custom', message: `expected an encoded HDR histogram (compressed base64)${why}` });
  }
});

const phaseShape = z.object({
  name: printable,
  model: z.enum(['open', 'closed']),
  vus: count.optional(),
  startMs: nonNegative,
  durationMs: nonNegative,
  offered: count,
  sent: count,
  dropped: count,
  ok: count,
  failed: count,
  unfinished: count,
  attempts: count,
  retries: count,
  successRatio: z.number().min(0).max(1),
  rps: z.object({ offered: nonNegative, achieved: nonNegative, goodput: nonNegative }),
  latencyMs: latencySummary.nullable(),
  okLatencyMs: latencySummary.nullable(),
  serviceMs: latencySummary.nullable(),
  sendLagMs: latencySummary.nullable(),
  statuses: z.record(z.string().regex(/^[1-9]\d\d$/, 'expected an HTTP status (100 to 999, as a client reads them)'), count),
  errors: z.record(printable, count).refine(fewKeys(RESULT_LIMITS.errorKinds), atMost(RESULT_LIMITS.errorKinds, 'kinds of error')),
  histograms: z.object({ latency: histogram, ok: histogram, service: histogram, sendLag: histogram }),
});

/** Counts that contradict each other mean the file was edited or damaged. */
function consistent(p: z.infer<typeof phaseShape>, ctx: z.RefinementCtx): void {
  const problem = (message: string): void => ctx.addIssue({ code: 'custom', message });
  if (p.sent + p.dropped > p.offered) problem(`expected sent + dropped ≤ offered, got ${p.sent} + ${p.dropped} > ${p.offered}`);
  if (p.ok + p.failed + p.unfinished > p.sent) problem(`expected ok + failed + unfinished ≤ sent, got ${p.ok} + ${p.failed} + ${p.unfinished} > ${p.sent}`);
  if (p.attempts < p.sent) problem(`expected attempts ≥ sent, got ${p.attempts} < ${p.sent}`);
  if (p.retries > p.attempts) problem(`expected retries ≤ attempts, got ${p.retries} > ${p.attempts}`);
  const ratio = p.offered > 0 ? p.ok / p.offered : 0;
  if (Math.abs(ratio - p.successRatio) > 1e-9) problem(`expected successRatio = ok / offered = ${ratio}, got ${p.successRatio}`);
}

const phaseResult: z.ZodType<PhaseResult> = phaseShape
  .extend({ mix: z.array(phaseShape.superRefine(consistent)).max(RESULT_LIMITS.classes, atMost(RESULT_LIMITS.classes, 'classes')).optional() })
  .superRefine(consistent);

const mockSample = z.object({ queued: count, busy: count, workers: count, routersReady: count.nullable() });
const proxySample = z.object({ inFlight: count, queued: count, held: count, active: count, requests: count, addedMs: nonNegative, delayed: count });

const timelineWindow = z.object({
  t: nonNegative,
  durationMs: nonNegative,
  offered: count,
  ok: count,
  failed: count,
  dropped: count,
  attempts: count.optional(),
  p50: nonNegative.nullable(),
  p99: nonNegative.nullable(),
  histogram,
  okHistogram: histogram.optional(),
  mock: mockSample.optional(),
  proxy: proxySample.optional(),
});

const failure = z.object({
  kind: z.enum(['mock-exited', 'mock-unresponsive', 'worker-exited', 'proxy-exited', 'proxy-unresponsive']),
  atMs: nonNegative,
  message: printable,
});

const shard = z
  .object({
    run: z.string().regex(/^[0-9a-f]{8,64}$/, 'expected a run identity (hex digest)'),
    index: count,
    count: z.number().int().min(1).max(10_000),
    requestedStart: printable,
    actualStart: printable,
    startSkewMs: z.number().finite(),
  })
  .refine((s) => s.index < s.count, { message: 'expected a segment index below the count' });

const readiness = z.object({
  warmUpRequests: count,
  warmUpWallMs: nonNegative,
  preconnected: count,
  connectWallMs: nonNegative.optional(),
});

const segmentSummary = z.object({
  index: count,
  offered: count,
  achieved: nonNegative,
  successRatio: z.number().min(0).max(1),
  p99: nonNegative.nullable(),
  sendLagP99: nonNegative.nullable(),
  startSkewMs: z.number().finite(),
  interrupted: z.boolean(),
  failure: failure.optional(),
});

const requestClass = z.object({
  name: printable,
  share: z.number().min(0).max(1),
  method: printable.optional(),
  path: printable.optional(),
  headers: z.record(z.string(), printable).refine(fewKeys(RESULT_LIMITS.headers), atMost(RESULT_LIMITS.headers, 'headers')).optional(),
  body: z.string().optional(),
});

const runResultSchema: z.ZodType<RunResult> = z.object({
  schema: z.literal(RESULT_SCHEMA),
  tool: z.object({ name: printable, version: printable }),
  profile: z.object({
    name: printable,
    speed: z.number().finite().positive(),
    seed: count,
    target: printable,
    proxy: printable.optional(),
    clock: z.literal('virtual').optional(),
    rttMs: z.number().finite().positive().optional(),
    arrivals: z.enum(['uniform', 'poisson']),
    expectedStatuses: z
      .string()
      .regex(/^[\d,-]+$/, 'expected statuses such as "200-299"')
      .optional(),
    mix: z.array(requestClass).max(RESULT_LIMITS.classes, atMost(RESULT_LIMITS.classes, 'classes')).optional(),
  }),
  startedAt: printable,
  wallMs: nonNegative,
  plannedMs: nonNegative,
  interrupted: z.boolean(),
  failure: failure.optional(),
  readiness: readiness.optional(),
  shard: shard.optional(),
  segments: z.array(segmentSummary).max(RESULT_LIMITS.segments, atMost(RESULT_LIMITS.segments, 'segments')).optional(),
  phases: z.array(phaseResult).max(RESULT_LIMITS.phases, atMost(RESULT_LIMITS.phases, 'phases')),
  total: phaseResult,
  timeline: z.array(timelineWindow).max(RESULT_LIMITS.windows, atMost(RESULT_LIMITS.windows, 'timeline windows')),
  faults: z
    .array(
      z.object({
        at: nonNegative,
        fault: printable,
        params: z
          .record(z.string(), z.unknown())
          .refine(fewKeys(RESULT_LIMITS.paramKeys), atMost(RESULT_LIMITS.paramKeys, 'params'))
          .refine((p) => shallow(p, RESULT_LIMITS.paramDepth), { message: `expected params nested at most ${RESULT_LIMITS.paramDepth} deep` }),
        error: printable.optional(),
      }),
    )
    .max(RESULT_LIMITS.faults, atMost(RESULT_LIMITS.faults, 'faults')),
  // A threshold with nothing to measure has actual NaN, which JSON writes as null.
  thresholds: z
    .array(
      z.object({
        expr: printable,
        ok: z.boolean(),
        actual: z
          .number()
          .nullable()
          .transform((a) => a ?? NaN),
      }),
    )
    .max(RESULT_LIMITS.thresholds, atMost(RESULT_LIMITS.thresholds, 'thresholds')),
});

export type ReadResult = { ok: true; result: RunResult } | { ok: false; problems: string[] };

/** A parsed JSON value read as a result: the result, or what is wrong with it (path: problem). */
export function readRunResult(value: unknown): ReadResult {
  fileBudget = decodeBudget();
  let parsed;
  try {
    parsed = runResultSchema.safeParse(value);
  } finally {
    fileBudget = undefined;
  }
  if (parsed.success) return { ok: true, result: parsed.data };
  const problems = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  return { ok: false, problems };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '') || '(top level)';
}

function ordered(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]! * (1 - 1e-9)) return false;
  return true;
}
