// The mock's configuration: a profile's `mock:` section, `--mock key=value` overrides and the `set` fault
// all land here. People write units ("exp:20s", "1m", "4GB", "50MB/s"); the model reads plain numbers:
// incident milliseconds, bytes, bytes per second, requests per second. `mockConfigSchema` turns the first
// into the second; `MockConfig` is the result, plain JSON that crosses process boundaries unchanged.
//
// Every section and field is described once below, in `sectionShapes(mode)`, with two readings of each
// leaf: "input" (what a human writes, units required) and "data" (an already parsed MockConfig, numbers).
// The input reading is the public schema; the data reading re-validates a MockConfig handed to the
// library or to the mock's child process, so a JavaScript caller with a typo still gets a clear error.
import { z } from 'zod';
import { UnitError, describe, parseBytes, parseDuration, parseRate } from '../core/units.js';
import { parsedField } from '../core/parsed-field.js';
import { HEADER_NAME, HEADER_NAME_EXPECTED, parseHeaderName } from '../core/http-header.js';
import * as values from '../core/values.js';

/** Service-time distribution of one task on one worker, incident ms. */
export type ServiceTime =
  | { dist: 'constant'; mean: number }
  | { dist: 'exp'; mean: number }
  | { dist: 'lognormal'; mean: number; sigma: number }
  | { dist: 'uniform'; min: number; max: number };

export type QueueOrder = 'fifo' | 'lifo' | 'adaptive-lifo';

export interface RateLimitConfig {
  /** Tokens added per second (incident time). */
  rate: number;
  /** Bucket size: the largest burst let through at once. */
  burst: number;
}

export interface RoutersConfig {
  count: number;
  /** Mean garbage each request leaves on the node that routed it, bytes (exponentially distributed). */
  bytesPerRequest: number;
  /** Garbage reclaimed per node, bytes per incident second. */
  gcRate: number;
  /** A node whose memory passes this fails readiness, bytes. */
  memoryLimit: number;
  /** Memory of a freshly (re)started node, and the floor garbage collection returns to, bytes. */
  baseMemory: number;
  /** Incident ms from failing readiness to being back in rotation... */
  restartAfter: number;
  /** ...plus a uniform draw in [0, restartJitter) ms, so nodes do not all return together. */
  restartJitter: number;
  autoscale?: RoutersAutoscaleConfig;
}

/** Autoscaling of the router nodes by memory (the fleet's autoscaler, reading memory instead of busy time). */
export interface RoutersAutoscaleConfig {
  min: number;
  max: number;
  /** Mean memory of the ready nodes the autoscaler aims for, as a share of memoryLimit, in (0, 1]. */
  targetMemory: number;
  /** How often it reads the ready nodes' memory (at that moment), incident ms. */
  interval: number;
  /** From deciding to add a node to the node joining rotation (fresh, at baseMemory), incident ms. */
  provisionDelay: number;
}

export interface AdmissionConfig {
  /** Reject (429) when admitting would make the queue longer than this; 0 = a loss system. Absent: no limit. */
  queueLimit?: number;
  /** Reject (429) when the expected wait is longer than queue.timeout. */
  deadlineAware: boolean;
  /** Retry-After sent with admission rejections, incident ms (sent rounded up to whole seconds). */
  retryAfter: number;
}

/**
 * Traffic separation: requests whose `header` says `high` are high priority. They wait in their own queue,
 * ahead of normal requests, and may use any free server; a normal request starts only while more than
 * `reserved` servers are free.
 */
export interface PriorityConfig {
  /** Lower-case request header name whose value `high` (case-insensitive, trimmed) marks high priority. */
  header: string;
  /** Servers kept for high-priority work; with reserved >= the servers, normal requests never start. */
  reserved: number;
}

export interface QueueConfig {
  order: QueueOrder;
  /** Tasks that waited this long are cancelled (504) by the health monitor, incident ms. Absent: never. */
  timeout?: number;
  /** The health monitor that enforces `timeout`; false = broken, expired tasks stay and get served. */
  monitor: boolean;
  /** How often the health monitor sweeps the queue, incident ms. */
  monitorInterval: number;
  /** Whether a client that disconnects cancels its task (false: the work is done for nobody). */
  cancelOnDisconnect: boolean;
  /** Hard cap on queued tasks; beyond it 503. Keeps the mock's memory bounded. */
  maxLength: number;
  /** adaptive-lifo: the queue counts as congested (served LIFO) once its oldest task waited this long, ms. */
  congestedAfter: number;
}

export interface AutoscaleConfig {
  min: number;
  max: number;
  /** Busy share of the fleet the autoscaler aims for, in (0, 1]. */
  targetUtilization: number;
  /** How often it looks at the utilisation of the last interval, incident ms. */
  interval: number;
  /** From deciding to add a worker to the worker taking tasks, incident ms. */
  provisionDelay: number;
}

export interface FleetConfig {
  workers: number;
  serviceTime: ServiceTime;
  autoscale?: AutoscaleConfig;
}

export interface DbConfig {
  /** Connections the database accepts. */
  maxConnections: number;
  /** false: each working server holds its own connection; true: tasks share a pool. */
  pooling: boolean;
  /** Pool size (with pooling); the pool never holds more than maxConnections. */
  poolSize: number;
  /** With pooling, each task holds a connection for the first `holdTime` of its service, incident ms. */
  holdTime: number;
}

export interface LatencyConfig {
  /** Added to every response after the service is done, incident ms (does not hold a worker). */
  add: number;
  /** Uniform spread around `add`: the delay is drawn from [add - jitter, add + jitter], floored at 0. */
  jitter: number;
}

export interface ErrorsConfig {
  /** Share of requests answered with `status` before admission, 0..1. */
  rate: number;
  status: number;
}

export interface MockConfig {
  rateLimit?: RateLimitConfig;
  routers?: RoutersConfig;
  admission?: AdmissionConfig;
  priority?: PriorityConfig;
  queue: QueueConfig;
  fleet: FleetConfig;
  db?: DbConfig;
  latency?: LatencyConfig;
  errors?: ErrorsConfig;
}

type Mode = 'input' | 'data';

/** A leaf reading either human input (`parseInput`) or an already parsed number/value (`data`). */
function leaf<T>(mode: Mode, parseInput: (raw: unknown) => T, data: z.ZodType<T>): z.ZodType<T, unknown> {
  return mode === 'data' ? (data as z.ZodType<T, unknown>) : parsedField(parseInput);
}

function duration(mode: Mode): z.ZodType<number, unknown> {
  return leaf(mode, parseDuration, z.number().finite().nonnegative());
}

function positiveDuration(mode: Mode): z.ZodType<number, unknown> {
  return leaf(
    mode,
    (raw) => {
      const ms = parseDuration(raw);
      if (!(ms > 0)) throw new UnitError('a duration above zero, such as "30s"', raw);
      return ms;
    },
    z.number().finite().positive(),
  );
}

function wholeNumber(mode: Mode, min: number, max = Number.MAX_SAFE_INTEGER): z.ZodType<number, unknown> {
  return leaf(mode, values.wholeNumber(min, max), z.number().int().min(min).max(max));
}

function fraction(mode: Mode, expected: string, accept: (n: number) => boolean): z.ZodType<number, unknown> {
  return leaf(mode, values.fraction(expected, accept), z.number().refine(accept, expected));
}

/** Above zero and at most `max` (1e9 unless given: a burst, a factor). */
function positiveNumber(mode: Mode, expected: string, max = 1e9): z.ZodType<number, unknown> {
  return fraction(mode, `${expected} (at most ${max})`, (n) => n > 0 && n <= max);
}

function bytes(mode: Mode): z.ZodType<number, unknown> {
  return leaf(mode, parseBytes, z.number().finite().nonnegative());
}

const BYTE_RATE_EXPECTED = 'a rate of bytes such as "50MB/s" or a number of bytes per second';

/** Bytes per second from "50MB/s", "3GB/m" or a bare number (bytes per second). */
export function parseByteRate(input: unknown): number {
  if (typeof input === 'number') return parseBytes(input);
  if (typeof input !== 'string') throw new UnitError(BYTE_RATE_EXPECTED, input);
  const m = /^(.*?)(?:\/\s*(s|m|h))?\s*$/.exec(input);
  const per = { s: 1, m: 60, h: 3600 }[(m?.[2] ?? 's') as 's' | 'm' | 'h'];
  try {
    return parseBytes(m?.[1] ?? '') / per;
  } catch {
    throw new UnitError(BYTE_RATE_EXPECTED, input);
  }
}

function byteRate(mode: Mode): z.ZodType<number, unknown> {
  return leaf(mode, parseByteRate, z.number().finite().nonnegative());
}

function requestRate(mode: Mode): z.ZodType<number, unknown> {
  return leaf(
    mode,
    (raw) => {
      const rate = parseRate(raw);
      if (!(rate > 0)) throw new UnitError('a rate above zero, such as "50/s"', raw);
      return rate;
    },
    z.number().finite().positive(),
  );
}

function flag(mode: Mode): z.ZodType<boolean, unknown> {
  return leaf(mode, values.flag, z.boolean());
}

/** A request header name; people may write any case, the model keeps it lower-case (as node:http does). */
function headerName(mode: Mode): z.ZodType<string, unknown> {
  return leaf(mode, parseHeaderName, z.string().regex(HEADER_NAME, `expected ${HEADER_NAME_EXPECTED} in lower case`));
}

const QUEUE_ORDERS = ['fifo', 'lifo', 'adaptive-lifo'] as const;

function queueOrder(mode: Mode): z.ZodType<QueueOrder, unknown> {
  return leaf(mode, values.oneOf(QUEUE_ORDERS), z.enum(QUEUE_ORDERS));
}

const SERVICE_TIME_EXPECTED = 'a service time such as "20s", "exp:20s", "lognormal:20s:0.5" or "uniform:10s:30s"';

/** "20s" | "exp:20s" | "lognormal:20s:0.5" (mean, sigma) | "uniform:10s:30s" -> a ServiceTime. */
export function parseServiceTime(input: unknown): ServiceTime {
  if (typeof input !== 'string') throw new UnitError(SERVICE_TIME_EXPECTED, input);
  const parts = input.trim().split(':');
  try {
    const [kind, a, b] = parts;
    let parsed: ServiceTime | undefined;
    if (parts.length === 1) parsed = { dist: 'constant', mean: parseDuration(kind) };
    else if (kind === 'constant' && parts.length === 2) parsed = { dist: 'constant', mean: parseDuration(a) };
    else if (kind === 'exp' && parts.length === 2) parsed = { dist: 'exp', mean: parseDuration(a) };
    else if (kind === 'lognormal' && parts.length === 3) {
      const sigma = Number(b);
      if (b?.trim() !== '' && Number.isFinite(sigma) && sigma > 0) parsed = { dist: 'lognormal', mean: parseDuration(a), sigma };
    } else if (kind === 'uniform' && parts.length === 3) parsed = { dist: 'uniform', min: parseDuration(a), max: parseDuration(b) };
    const problem = parsed && serviceTimeProblem(parsed);
    if (parsed && !problem) return parsed;
  } catch {
    // fall through to the one message that says what is accepted
  }
  throw new UnitError(SERVICE_TIME_EXPECTED, input);
}

function serviceTimeProblem(s: ServiceTime): string | undefined {
  if (s.dist === 'uniform') return s.min <= s.max && s.max > 0 ? undefined : 'uniform needs 0 ≤ min ≤ max and max > 0';
  return s.mean > 0 ? undefined : 'the mean service time must be above zero';
}

/** Mean of a service-time distribution, incident ms. */
export function meanServiceTime(s: ServiceTime): number {
  return s.dist === 'uniform' ? (s.min + s.max) / 2 : s.mean;
}

function serviceTime(mode: Mode): z.ZodType<ServiceTime, unknown> {
  const positive = z.number().finite().positive();
  const data = z
    .discriminatedUnion('dist', [
      z.strictObject({ dist: z.literal('constant'), mean: positive }),
      z.strictObject({ dist: z.literal('exp'), mean: positive }),
      z.strictObject({ dist: z.literal('lognormal'), mean: positive, sigma: positive }),
      z.strictObject({ dist: z.literal('uniform'), min: z.number().finite().nonnegative(), max: positive }),
    ])
    .refine((s) => serviceTimeProblem(s) === undefined, { message: 'uniform needs min ≤ max' });
  return leaf(mode, parseServiceTime, data);
}

/**
 * Every section's fields, in one place: the defaults here are the documented defaults. Sections listed in
 * OPTIONAL_SECTIONS are off when omitted; `queue` and `fleet` are always on, and with their defaults the
 * mock is an M/M/c queue (4 workers, exponential service with mean 100 ms, FIFO, no timeout).
 */
function sectionShapes(mode: Mode) {
  return {
    rateLimit: {
      rate: requestRate(mode),
      burst: positiveNumber(mode, 'a burst size above zero').optional(),
    },
    routers: {
      count: wholeNumber(mode, 1, 10_000).default(4),
      bytesPerRequest: bytes(mode).default(64_000),
      gcRate: byteRate(mode).default(50_000_000),
      memoryLimit: bytes(mode).default(2_000_000_000),
      baseMemory: bytes(mode).default(500_000_000),
      restartAfter: duration(mode).default(30_000),
      restartJitter: duration(mode).default(10_000),
    },
    'routers.autoscale': {
      min: wholeNumber(mode, 1, 10_000).default(1),
      max: wholeNumber(mode, 1, 10_000).default(64),
      targetMemory: fraction(mode, 'a share of memoryLimit above 0 and at most 1, such as 0.6 or "60%"', (n) => n > 0 && n <= 1).default(0.6),
      interval: positiveDuration(mode).default(15_000),
      provisionDelay: duration(mode).default(60_000),
    },
    admission: {
      queueLimit: wholeNumber(mode, 0).optional(),
      deadlineAware: flag(mode).default(false),
      retryAfter: duration(mode).default(1_000),
    },
    priority: {
      header: headerName(mode).default('x-priority'),
      reserved: wholeNumber(mode, 0).default(0),
    },
    queue: {
      order: queueOrder(mode).default('fifo'),
      timeout: positiveDuration(mode).optional(),
      monitor: flag(mode).default(true),
      monitorInterval: positiveDuration(mode).default(1_000),
      cancelOnDisconnect: flag(mode).default(false),
      // An abandoned queued task holds ~300 bytes (measured): 1e6 of them fit in a few hundred MB.
      maxLength: wholeNumber(mode, 0, 1_000_000).default(100_000),
      congestedAfter: duration(mode).default(1_000),
    },
    fleet: {
      workers: wholeNumber(mode, 0, 100_000).default(4),
      serviceTime: serviceTime(mode).default({ dist: 'exp', mean: 100 }),
    },
    'fleet.autoscale': {
      min: wholeNumber(mode, 0, 100_000).default(1),
      max: wholeNumber(mode, 1, 100_000).default(64),
      targetUtilization: fraction(mode, 'a utilisation above 0 and at most 1, such as 0.7 or "70%"', (n) => n > 0 && n <= 1).default(0.7),
      interval: positiveDuration(mode).default(15_000),
      provisionDelay: duration(mode).default(60_000),
    },
    db: {
      maxConnections: wholeNumber(mode, 0, 1_000_000).default(100),
      pooling: flag(mode).default(false),
      poolSize: wholeNumber(mode, 1, 1_000_000).default(20),
      holdTime: duration(mode).default(10),
    },
    latency: {
      add: duration(mode),
      jitter: duration(mode).default(0),
    },
    errors: {
      rate: fraction(mode, 'a share from 0 to 1, such as 0.1 or "10%"', (n) => n >= 0 && n <= 1),
      status: wholeNumber(mode, 400, 599).default(500),
    },
  };
}

type Shapes = ReturnType<typeof sectionShapes>;
type MockSection = 'rateLimit' | 'routers' | 'admission' | 'priority' | 'queue' | 'fleet' | 'db' | 'latency' | 'errors';
const OPTIONAL_SECTIONS: MockSection[] = ['rateLimit', 'routers', 'admission', 'priority', 'db', 'latency', 'errors'];
const SECTIONS: MockSection[] = ['rateLimit', 'routers', 'admission', 'priority', 'queue', 'fleet', 'db', 'latency', 'errors'];
/** Sections inside a section, switched on and off like the optional ones. */
const SUBSECTIONS = ['routers.autoscale', 'fleet.autoscale'];

/** An autoscale section (`fleet.autoscale`, `routers.autoscale`) with its bounds in order. */
function minAtMostMax<T extends { min: number; max: number }>(schema: z.ZodType<T, unknown>): z.ZodType<T, unknown> {
  return schema.refine((a) => a.min <= a.max, { message: 'autoscale.min must not be above autoscale.max' });
}

function buildSchemas(mode: Mode) {
  const s: Shapes = sectionShapes(mode);
  const autoscale = minAtMostMax(z.strictObject(s['fleet.autoscale']));
  const routersAutoscale = minAtMostMax(z.strictObject(s['routers.autoscale']));
  const sections = {
    rateLimit: z.strictObject(s.rateLimit).transform((r): RateLimitConfig => ({ rate: r.rate, burst: r.burst ?? Math.max(1, r.rate) })),
    routers: z.strictObject({ ...s.routers, autoscale: routersAutoscale.optional() }).refine((r) => !r.autoscale || r.autoscale.targetMemory * r.memoryLimit > r.baseMemory, {
      path: ['autoscale', 'targetMemory'],
      message: 'targetMemory × memoryLimit must be above baseMemory: an idle node already holds baseMemory, so the autoscaler would add nodes up to max',
    }),
    admission: z.strictObject(s.admission),
    priority: z.strictObject(s.priority),
    queue: z.strictObject(s.queue),
    fleet: z.strictObject({ ...s.fleet, autoscale: autoscale.optional() }),
    'fleet.autoscale': autoscale,
    'routers.autoscale': routersAutoscale,
    db: z.strictObject(s.db),
    latency: z.strictObject(s.latency),
    errors: z.strictObject(s.errors),
  };
  const config = z.strictObject({
    rateLimit: sections.rateLimit.optional(),
    routers: sections.routers.optional(),
    admission: sections.admission.optional(),
    priority: sections.priority.optional(),
    queue: sections.queue.prefault({}),
    fleet: sections.fleet.prefault({}),
    db: sections.db.optional(),
    latency: sections.latency.optional(),
    errors: sections.errors.optional(),
  });
  return { config, sections: sections as Record<string, z.ZodType<unknown, unknown>> };
}

const input = buildSchemas('input');
const data = buildSchemas('data');

/** A profile's `mock:` section as people write it (units required) -> MockConfig. Unknown keys are errors. */
export const mockConfigSchema: z.ZodType<MockConfig, unknown> = input.config;

/** An already parsed MockConfig (numbers in ms, bytes, per second), checked again at a boundary. */
export const mockConfigDataSchema: z.ZodType<MockConfig, unknown> = data.config;

/** The M/M/c default: 4 workers, exp:100ms, FIFO queue without timeout, everything else off. */
export function defaultMockConfig(): MockConfig {
  return mockConfigSchema.parse({});
}

/** Validates an already parsed MockConfig (library callers, the child process); throws one readable Error. */
export function checkMockConfig(config: unknown): MockConfig {
  const result = mockConfigDataSchema.safeParse(config);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${['mock', ...i.path].join('.')}: ${i.message}`);
  throw new Error(`invalid mock config: ${problems.join('; ')}`);
}

/** The keys `--mock` and the `set` fault accept, e.g. "fleet.workers", "queue.timeout". */
export function mockConfigPaths(): string[] {
  const paths: string[] = [...OPTIONAL_SECTIONS, ...SUBSECTIONS];
  for (const [section, fields] of Object.entries(sectionShapes('input'))) {
    for (const field of Object.keys(fields)) paths.push(`${section}.${field}`);
  }
  return paths;
}

const OFF_WORDS = new Set(['off', 'none', 'false', 'no']);
const ON_WORDS = new Set(['on', 'true', 'yes']);
const SWITCHABLE = [...OPTIONAL_SECTIONS, ...SUBSECTIONS];

/**
 * Parses the value for one path without applying it (used to check `set` faults in a profile before the
 * mock runs). Returns the parsed value; for a section path ("routers", "fleet.autoscale") `null` means off
 * and `{}` means on with its defaults. Throws an Error whose message names the key and what was expected.
 */
export function parseMockOverride(path: string, raw: unknown): unknown {
  if (SWITCHABLE.includes(path)) {
    const word = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
    if (word === false || (typeof word === 'string' && OFF_WORDS.has(word))) return null;
    if (word === true || (typeof word === 'string' && ON_WORDS.has(word))) return {};
    throw new Error(`${path}: expected "off" (or "on" for the section's defaults), got ${describe(raw)}`);
  }
  const cut = path.lastIndexOf('.');
  const shapes = sectionShapes('input') as Record<string, Record<string, z.ZodType<unknown, unknown>>>;
  const leafSchema = cut > 0 ? shapes[path.slice(0, cut)]?.[path.slice(cut + 1)] : undefined;
  if (!leafSchema) throw new Error(unknownPathMessage(path));
  const result = leafSchema.safeParse(raw);
  if (!result.success) throw new Error(`${path}: ${result.error.issues[0]?.message ?? 'invalid value'}`);
  return result.data;
}

function unknownPathMessage(path: string): string {
  const section = path.split('.')[0]!;
  const known = mockConfigPaths().filter((p) => p.startsWith(`${section}.`));
  const hint = known.length > 0 ? `known under ${section}: ${known.map((p) => p.slice(section.length + 1)).join(', ')}` : `sections: ${SECTIONS.join(', ')}`;
  return `unknown mock setting "${path}" (${hint})`;
}

/**
 * `--mock fleet.workers=8`: returns a new MockConfig with one value changed (the input is not touched).
 * Setting a field of a section that is off turns the section on with its defaults for the other fields
 * (and the section around it, for `routers.autoscale.*`); `routers=off` turns an optional section off,
 * `routers=on` on with its defaults. Throws an Error naming the key and what was expected.
 */
export function applyMockOverride(config: MockConfig, path: string, raw: unknown): MockConfig {
  const value = parseMockOverride(path, raw);
  const next = structuredClone(config) as unknown as Record<string, unknown>;
  const isSection = SWITCHABLE.includes(path);
  const sectionPath = isSection ? path : path.slice(0, path.lastIndexOf('.'));
  const field = isSection ? undefined : path.slice(path.lastIndexOf('.') + 1);
  const parentParts = sectionPath.split('.');
  const sectionKey = parentParts.pop()!;
  const turningOff = isSection && value === null;
  let parent: Record<string, unknown> | undefined = next;
  for (let i = 0; i < parentParts.length && parent; i++) {
    // A section inside one that is off ("routers.autoscale.min" without routers) turns that one on first.
    if (parent[parentParts[i]!] === undefined && !turningOff) parent[parentParts[i]!] = turnOn(parentParts.slice(0, i + 1).join('.'), {});
    parent = parent[parentParts[i]!] as Record<string, unknown> | undefined;
  }
  const current = parent?.[sectionKey] as Record<string, unknown> | undefined;

  if (!parent) {
    // Turning off a section inside one that is already off: nothing to do.
  } else if (turningOff) delete parent[sectionKey];
  else if (current === undefined) parent[sectionKey] = turnOn(sectionPath, field === undefined ? {} : { [field]: raw });
  else if (field !== undefined) current[field] = value;

  const checked = mockConfigDataSchema.safeParse(next);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new Error(`${path}: ${issue ? `${[...issue.path].join('.')}: ${issue.message}` : 'invalid value'}`);
  }
  return checked.data;
}

/** A section that was off, turned on by an override: its defaults plus the overridden field. */
function turnOn(sectionPath: string, rawFields: Record<string, unknown>): unknown {
  const result = input.sections[sectionPath]!.safeParse(rawFields);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${[sectionPath, ...i.path].join('.')}: ${i.message}`);
  throw new Error(`${sectionPath} is off; to turn it on this way it needs ${problems.join('; ')}`);
}

/**
 * Readers for single human-written values, shared with the faults' params so that "30s", "4GB", "10%" or
 * "8" mean the same in a fault as in the config. Each accepts what a CLI `k=v` or JSON gives (strings,
 * numbers, booleans) and fails with "expected ..., got ...".
 */
export const mockValue = {
  duration: (): z.ZodType<number, unknown> => duration('input'),
  positiveDuration: (): z.ZodType<number, unknown> => positiveDuration('input'),
  wholeNumber: (min: number, max?: number): z.ZodType<number, unknown> => wholeNumber('input', min, max),
  bytes: (): z.ZodType<number, unknown> => bytes('input'),
  share: (): z.ZodType<number, unknown> => fraction('input', 'a share from 0 to 1, such as 0.1 or "10%"', (n) => n >= 0 && n <= 1),
  positiveNumber: (expected: string): z.ZodType<number, unknown> => positiveNumber('input', expected),
};
