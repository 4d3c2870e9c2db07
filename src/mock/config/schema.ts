// The mock's configuration as a schema: every section and field described once, in `sectionShapes(mode)`,
// with the documented defaults; `SECTIONS` says which sections exist and which are optional, so their
// names are written once more only in the MockConfig type (and the compiler checks the two agree).
import { z } from 'zod';
import type { MockConfig, RateLimitConfig } from './types.js';
import {
  byteRate,
  bytes,
  duration,
  flag,
  fraction,
  headerName,
  positiveDuration,
  positiveNumber,
  queueOrder,
  requestRate,
  serviceTime,
  wholeNumber,
  type Mode,
} from './values.js';

/**
 * Every section's fields, in one place: the defaults here are the documented defaults. Sections listed in
 * OPTIONAL_SECTIONS are off when omitted; `queue` and `fleet` are always on, and with their defaults the
 * mock is an M/M/c queue (4 workers, exponential service with mean 100 ms, FIFO, no timeout).
 */
/** Each section's fields as zod leaves, by section path. */
export function shapesFor(mode: Mode): Record<string, Record<string, z.ZodType<unknown, unknown>>> {
  return sectionShapes(mode);
}

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

/**
 * The sections of a MockConfig, in the order the model's pipeline meets them: whether each is optional
 * (off when absent) and, for a few, the section's own rule on top of its fields. The only other place
 * their names are written is the MockConfig type, and `satisfies` makes the compiler check the two agree.
 */
const SECTIONS = {
  rateLimit: { optional: true },
  routers: { optional: true },
  admission: { optional: true },
  priority: { optional: true },
  queue: { optional: false },
  fleet: { optional: false },
  db: { optional: true },
  latency: { optional: true },
  errors: { optional: true },
} as const satisfies Record<keyof MockConfig, { optional: boolean }>;

type SectionName = keyof typeof SECTIONS;
export const SECTION_NAMES = Object.keys(SECTIONS) as SectionName[];
/** Sections inside a section, switched on and off like the optional ones. */
const SUBSECTIONS = ['routers.autoscale', 'fleet.autoscale'] as const;
/** The paths `--mock` and `set` can switch on and off ("routers=off", "fleet.autoscale=on"). */
export const SWITCHABLE_SECTIONS: readonly string[] = [...SECTION_NAMES.filter((name) => SECTIONS[name].optional), ...SUBSECTIONS];

/** An autoscale section (`fleet.autoscale`, `routers.autoscale`) with its bounds in order. */
function minAtMostMax<T extends { min: number; max: number }>(schema: z.ZodType<T, unknown>): z.ZodType<T, unknown> {
  return schema.refine((a) => a.min <= a.max, { message: 'autoscale.min must not be above autoscale.max' });
}

function buildSchemas(mode: Mode) {
  const s: Shapes = sectionShapes(mode);
  const autoscale = minAtMostMax(z.strictObject(s['fleet.autoscale']));
  const routersAutoscale = minAtMostMax(z.strictObject(s['routers.autoscale']));
  // Each section from its fields, plus the few that need more than their fields: a derived default
  // (rateLimit.burst), a subsection (autoscale), a rule across fields (routers' autoscale target).
  const special: Partial<Record<SectionName, z.ZodType<unknown, unknown>>> = {
    rateLimit: z.strictObject(s.rateLimit).transform((r): RateLimitConfig => ({ rate: r.rate, burst: r.burst ?? Math.max(1, r.rate) })),
    routers: z
      .strictObject({ ...s.routers, autoscale: routersAutoscale.optional() })
      .refine((r) => !r.autoscale || r.autoscale.targetMemory * r.memoryLimit > r.baseMemory, {
        path: ['autoscale', 'targetMemory'],
        message: 'targetMemory × memoryLimit must be above baseMemory: an idle node already holds baseMemory, so the autoscaler would add nodes up to max',
      }),
    fleet: z.strictObject({ ...s.fleet, autoscale: autoscale.optional() }),
  };
  const sections: Record<string, z.ZodType<unknown, unknown>> = { 'fleet.autoscale': autoscale, 'routers.autoscale': routersAutoscale };
  const shape: Record<string, z.ZodType<unknown, unknown>> = {};
  for (const name of SECTION_NAMES) {
    const section = special[name] ?? z.strictObject(s[name]);
    sections[name] = section;
    shape[name] = SECTIONS[name].optional ? section.optional() : (section as z.ZodObject).prefault({});
  }
  return { config: z.strictObject(shape) as unknown as z.ZodType<MockConfig, unknown>, sections };
}

/** The human-input reading (units required) of the config and of each section, by path. */
export const input = buildSchemas('input');
const data = buildSchemas('data');

/** A profile's `mock:` section as people write it (units required) -> MockConfig. Unknown keys are errors. */
export const mockConfigSchema = input.config;

/** An already parsed MockConfig (numbers in ms, bytes, per second), checked again at a boundary. */
export const mockConfigDataSchema = data.config;

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
  const paths: string[] = [...SWITCHABLE_SECTIONS];
  for (const [section, fields] of Object.entries(sectionShapes('input'))) {
    for (const field of Object.keys(fields)) paths.push(`${section}.${field}`);
  }
  return paths;
}
