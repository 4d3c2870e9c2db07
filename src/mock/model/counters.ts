// What happened since the start (or the last reset), counted where it was decided. `responses` counts
// answers actually delivered to a listening client, by HTTP status.

export interface Counters {
  arrived: number;
  /** Arrivals marked high priority (priority section on). */
  highArrived: number;
  /** 429 from the edge token bucket. */
  rateLimited: number;
  /** 503: no router node was ready. */
  noRouter: number;
  /** 502: requests in flight on a router node when it failed readiness. */
  routerFailures: number;
  /** Answered by the error-rate fault. */
  injectedErrors: number;
  /** 429 from admission (queue limit or deadline-aware). */
  shed: number;
  /** 503: the queue was at queue.maxLength. */
  queueFull: number;
  /** 504: cancelled by the health monitor after queue.timeout. */
  timedOut: number;
  /** Tasks that finished service (whether or not anybody was still listening). */
  served: number;
  /** Of those, tasks marked high priority. */
  highServed: number;
  /** Served although they had waited longer than queue.timeout (the monitor was broken or had not swept). */
  expiredServed: number;
  /** Served for nobody: the client had left or had already been answered with a 502. */
  wastedServed: number;
  /** Clients that disconnected before their answer. */
  abandoned: number;
  /** Tasks dropped because their client left (queue.cancelOnDisconnect). */
  cancelled: number;
  /** Router nodes that failed readiness (memory) or were killed. */
  nodeFailures: number;
  responses: Record<string, number>;
}

export function emptyCounters(): Counters {
  return {
    arrived: 0,
    highArrived: 0,
    rateLimited: 0,
    noRouter: 0,
    routerFailures: 0,
    injectedErrors: 0,
    shed: 0,
    queueFull: 0,
    timedOut: 0,
    served: 0,
    highServed: 0,
    expiredServed: 0,
    wastedServed: 0,
    abandoned: 0,
    cancelled: 0,
    nodeFailures: 0,
    responses: {},
  };
}
