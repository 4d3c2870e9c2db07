// The profile format as a zod schema: every field validated, unknown keys rejected, units parsed, and
// every problem collected in one pass (k6's Validate() returns all errors, not the first).
import { z } from 'zod';
import { mockConfigSchema } from '../mock/config/index.js';
import { totalDurationMs, type Phase } from '../schedule/phase.js';
import { buildPhase, PHASE_SPEC_EXPECTED, parsePhaseSpec } from './phase-spec.js';
import { BACKOFFS, CLIENT_DEFAULTS, REQUEST_DEFAULTS, type FaultSpec } from './profile.js';
import { describe as describeValue, formatDays, formatDuration, parseDuration, parsePositiveDuration, UnitError } from '../core/units.js';
import { checkFault } from './fault-spec.js';
import { parsedField } from '../core/parsed-field.js';
import { checkTargetUrl } from './target.js';
import { METHODS } from '../core/request.js';
import { ExpectedStatuses } from '../core/expected-statuses.js';
import { LIMITS } from '../core/limits.js';
import * as values from '../core/values.js';
import { parseHeaders } from '../core/http-header.js';
import { parseThreshold, scopeProblem, type Threshold } from '../threshold/parse.js';

// Every leaf is read by the readers flags and the mock use too (values.ts): same values, same limits.
const oneOf = <T extends string>(choices: readonly T[]): z.ZodType<T, unknown> => parsedField(values.oneOf(choices));
const boolean = parsedField(values.flag);
const text = parsedField(values.text());
const name = parsedField(values.text(200));
const description = parsedField(values.text(20_000, { multiline: true }));
const body = parsedField((raw) => {
  if (typeof raw !== 'string') throw new UnitError('text', raw);
  if (Buffer.byteLength(raw) > LIMITS.bodyBytesMax) throw new UnitError(`a body of at most ${LIMITS.bodyBytesMax} bytes`, `${Buffer.byteLength(raw)} bytes`);
  return raw;
});
/** Retries as a share of first attempts: 0.1 or "10%", up to 10 (1000%). */
const ratio = parsedField(values.fraction('a ratio such as 0.1 or "10%" (at most 10)', (n) => n >= 0 && n <= 10));

/**
 * Where the requests go: "mock", a URL, or `{ url, proxy: true }` (through the fault-injecting proxy in
 * front of it; without `url`, the one --target gives).
 */
const target = parsedField((raw): { url: string; proxy: boolean } => {
  if (raw === 'mock') return { url: raw, proxy: false };
  if (typeof raw === 'string') {
    checkTargetUrl(raw);
    return { url: raw, proxy: false };
  }
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const { url, proxy, ...rest } = raw as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new Error(`unknown key ${JSON.stringify(unknown[0])} (allowed: url, proxy)`);
    const through = proxy === undefined ? false : values.flag(proxy);
    // `{ proxy: true }` alone: a profile for any service, whose URL comes from --target.
    if (url === undefined && through) return { url: 'mock', proxy: true };
    if (typeof url !== 'string' || url === 'mock') throw new UnitError('url: an http(s) URL (the service the proxy stands in front of)', url);
    checkTargetUrl(url);
    return { url, proxy: through };
  }
  throw new UnitError('"mock", an http(s) URL, or a mapping { url, proxy: true }', raw);
});

const retries = z
  .strictObject({
    max: parsedField(values.retries).default(CLIENT_DEFAULTS.retries.max),
    backoff: oneOf(BACKOFFS).default(CLIENT_DEFAULTS.retries.backoff),
    base: parsedField(parseDuration).default(CLIENT_DEFAULTS.retries.baseMs),
    cap: parsedField(parseDuration).default(CLIENT_DEFAULTS.retries.capMs),
    respectRetryAfter: boolean.default(CLIENT_DEFAULTS.retries.respectRetryAfter),
    budget: ratio.optional(),
  })
  .transform((r) => ({ max: r.max, backoff: r.backoff, baseMs: r.base, capMs: r.cap, respectRetryAfter: r.respectRetryAfter, budget: r.budget }));

const client = z
  .strictObject({
    timeout: parsedField(parsePositiveDuration).default(CLIENT_DEFAULTS.timeoutMs),
    connections: parsedField(values.connections).default(CLIENT_DEFAULTS.connections),
    maxInFlight: parsedField(values.maxInFlight).default(CLIENT_DEFAULTS.maxInFlight),
    arrivals: oneOf(['uniform', 'poisson'] as const).default(CLIENT_DEFAULTS.arrivals),
    retries: retries.prefault({}),
    expectedStatuses: parsedField((raw) => ExpectedStatuses.parse(raw).text).default(CLIENT_DEFAULTS.expectedStatuses),
    redirects: parsedField(values.redirects).default(CLIENT_DEFAULTS.redirects),
    insecure: boolean.default(false),
    /** A PEM file of CAs to trust, relative to the profile; read by load.ts, which knows where the file is. */
    ca: text.optional(),
  })
  .transform((c) => ({
    timeoutMs: c.timeout,
    connections: c.connections,
    maxInFlight: c.maxInFlight,
    arrivals: c.arrivals,
    retries: c.retries,
    expectedStatuses: c.expectedStatuses,
    redirects: c.redirects,
    tls: { insecure: c.insecure, ...(c.ca !== undefined ? { caFile: c.ca } : {}) },
  }));

const requestPath = parsedField((raw) => {
  if (typeof raw !== 'string' || !raw.startsWith('/')) throw new UnitError('a path starting with "/"', raw);
  return raw;
});

const share = parsedField(values.fraction('a share above 0 and at most 1, such as 0.2 or "20%"', (n) => n > 0 && n <= 1));

const requestClass = z.strictObject({
  name: parsedField((raw) => {
    if (typeof raw !== 'string' || !/^[A-Za-z0-9][\w.-]*$/.test(raw)) throw new UnitError('a name of letters, digits, "_", "." or "-"', raw);
    return raw;
  }),
  share,
  method: oneOf(METHODS).optional(),
  path: requestPath.optional(),
  headers: parsedField(parseHeaders).optional(),
  body: body.optional(),
});

const SHARE_SUM_TOLERANCE = 0.002;

/** The classes of a request mix: distinct names, shares that add up to 1. */
const mix = z
  .array(requestClass)
  .min(1, 'expected at least one class, e.g. [{ name: priority, share: 0.2, headers: { x-priority: high } }, { name: standard, share: 0.8 }]')
  .max(LIMITS.classesMax, `expected at most ${LIMITS.classesMax} classes`)
  .superRefine((classes, ctx) => {
    const seen = new Set<string>();
    classes.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', message: `class name "${c.name}" is used twice`, path: [i, 'name'] });
      seen.add(c.name);
    });
    const sum = classes.reduce((acc, c) => acc + c.share, 0);
    // Three thirds written as 0.333 or 33.3% are meant to be a whole: the shares are used relative to their sum.
    if (Math.abs(sum - 1) > SHARE_SUM_TOLERANCE)
      ctx.addIssue({ code: 'custom', message: `expected shares that add up to 1 (within ${SHARE_SUM_TOLERANCE * 100}%), got ${Number(sum.toFixed(6))}` });
  });

const request = z.strictObject({
  method: oneOf(METHODS).default('GET'),
  path: requestPath.default(REQUEST_DEFAULTS.path),
  headers: parsedField(parseHeaders).default({}),
  body: body.optional(),
  mix: mix.optional(),
});

const PHASE_KEYS = ['name', 'duration', 'rate', 'vus'];

/**
 * A phase as a mapping ({ name, duration, rate | vus }) or in the --phase syntax ("surge:30s:50..500").
 * Read by hand rather than as a union of the two, so that a misspelt key is named (a union would only
 * say that neither shape fits), as is each missing field.
 */
const phase = z.unknown().transform((raw, ctx): Phase => {
  const problem = (message: string, path: (string | number)[] = []): never => {
    ctx.addIssue({ code: 'custom', message, path });
    return z.NEVER;
  };
  try {
    if (typeof raw === 'string') return parsePhaseSpec(raw);
  } catch (err) {
    return problem(err instanceof Error ? err.message : String(err));
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return problem(`expected a phase: a mapping { name, duration, rate or vus } or ${PHASE_SPEC_EXPECTED}, got ${describeValue(raw)}`);
  }
  const fields = raw as Record<string, unknown>;
  let bad = false;
  for (const key of Object.keys(fields)) {
    if (!PHASE_KEYS.includes(key)) {
      ctx.addIssue({ code: 'custom', message: `unknown key (allowed: ${PHASE_KEYS.join(', ')})`, path: [key] });
      bad = true;
    }
  }
  if (fields.name === undefined) {
    ctx.addIssue({ code: 'custom', message: 'missing (expected a phase name such as "surge")', path: ['name'] });
    bad = true;
  }
  if (fields.duration === undefined) {
    ctx.addIssue({ code: 'custom', message: 'missing (expected a duration such as "30s")', path: ['duration'] });
    bad = true;
  }
  if (fields.rate !== undefined && fields.vus !== undefined) return problem('give either rate (open model) or vus (closed model), not both');
  if (fields.rate === undefined && fields.vus === undefined) return problem('expected a rate (e.g. "50/s" or "50/s..500/s") or vus (e.g. 20)');
  if (bad) return z.NEVER;
  if (typeof fields.name !== 'string') return problem(`expected a phase name such as "surge", got ${describeValue(fields.name)}`, ['name']);
  try {
    return buildPhase(fields.name, fields.duration, fields);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // "duration: expected ..." points at the field; keep the path precise when the message names one.
    const field = /^(duration|rate|vus|phase name): (.*)$/.exec(message);
    return field ? problem(field[2]!, [field[1] === 'phase name' ? 'name' : field[1]!]) : problem(message);
  }
});

const fault = z.looseObject({ at: parsedField(parseDuration), fault: text }).transform((raw, ctx): FaultSpec => {
  const { at, fault: name, ...params } = raw;
  for (const problem of checkFault(name, params)) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  return { at, fault: name, params };
});

const threshold = text.transform((expr, ctx): Threshold => {
  try {
    return parseThreshold(expr);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
    return z.NEVER;
  }
});

export const profileSchema = z
  .strictObject({
    name: name.optional(),
    description: description.default(''),
    speed: parsedField(values.speed).default(1),
    seed: parsedField(values.seed).default(1),
    target: target.prefault('mock'),
    client: client.prefault({}),
    request: request.prefault({}),
    mock: mockConfigSchema.optional(),
    phases: z.array(phase).min(1, `expected at least one phase (${PHASE_SPEC_EXPECTED})`).max(LIMITS.phasesMax, `expected at most ${LIMITS.phasesMax} phases`),
    faults: z.array(fault).max(LIMITS.faultsMax, `expected at most ${LIMITS.faultsMax} faults`).default([]),
    thresholds: z.array(threshold).max(LIMITS.thresholdsMax, `expected at most ${LIMITS.thresholdsMax} thresholds`).default([]),
  })
  // Checks across fields. They run even when some fields are invalid, so that every problem is reported
  // at once; each uses only the fields it needs, and only when those parsed.
  .superRefine(
    (p, ctx) => {
      const invalid = new Set(ctx.issues.map((issue) => issue.path?.[0]));
      const valid = (...keys: string[]): boolean => keys.every((k) => !invalid.has(k));
      const phases = Array.isArray(p.phases) ? p.phases.filter((ph): ph is Phase => typeof ph === 'object' && ph !== null && typeof ph.name === 'string') : [];
      const seen = new Set<string>();
      phases.forEach((ph) => {
        if (seen.has(ph.name))
          ctx.addIssue({
            code: 'custom',
            message: `phase name "${ph.name}" is used twice; thresholds address phases by name`,
            path: ['phases', p.phases.indexOf(ph), 'name'],
          });
        seen.add(ph.name);
      });
      if (valid('phases') && totalDurationMs(p.phases) > LIMITS.durationMaxMs) {
        ctx.addIssue({
          code: 'custom',
          message: `expected phases that last at most ${formatDays(LIMITS.durationMaxMs)} end to end, got ${formatDays(totalDurationMs(p.phases))}`,
          path: ['phases'],
        });
      }
      if (valid('target', 'speed') && p.target.url !== 'mock' && p.speed !== 1) {
        ctx.addIssue({
          code: 'custom',
          message: `expected 1 with a target URL: time compression only means something for the bundled mock (a real service's latencies would read ${p.speed}× their value)`,
          path: ['speed'],
        });
      }
      // Faults for whoever applies them: each was checked against either registry; a profile that says the
      // proxy applies them has them checked against its registry. (A target of "mock" may become a URL with
      // --target and --via-proxy or --control: the run's plan checks them against whoever applies them.)
      if (valid('target', 'faults') && p.target.proxy) {
        p.faults.forEach((f, i) => {
          for (const problem of checkFault(f.fault, f.params, 'proxy'))
            ctx.addIssue({ code: 'custom', message: problem.message, path: ['faults', i, ...problem.path] });
        });
      }
      // Faults inside the run. (Whether the mock accepts them at their time is the preflight's question,
      // src/run/preflight.ts, asked once of the plan as it will run.)
      if (valid('phases', 'faults')) {
        const endMs = totalDurationMs(p.phases);
        p.faults.forEach((f, i) => {
          if (f.at >= endMs)
            ctx.addIssue({
              code: 'custom',
              message: `expected a time before the run ends (its phases end at ${formatDuration(endMs)}): a fault at ${formatDuration(f.at)} would never be applied`,
              path: ['faults', i, 'at'],
            });
        });
      }
      if (valid('phases', 'request', 'thresholds')) {
        const classes = (p.request.mix ?? []).map((c) => c.name);
        p.thresholds.forEach((t, i) => {
          const problem = scopeProblem(t, [...seen], classes);
          if (problem) ctx.addIssue({ code: 'custom', message: `threshold ${JSON.stringify(t.expr)}: ${problem}`, path: ['thresholds', i] });
        });
      }
    },
    { when: () => true },
  )
  .transform((p) => ({ ...p, target: p.target.url, proxy: p.target.proxy, thresholds: p.thresholds.map((t) => t.expr) }));
