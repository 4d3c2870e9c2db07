// The mock's configuration as the model reads it: plain numbers (incident ms, bytes, bytes per second,
// requests per second), plain JSON that crosses process boundaries unchanged. Sections marked optional
// are off when absent; `queue` and `fleet` are always there.
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
