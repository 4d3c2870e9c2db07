// Load shedding in front of the queue: reject (429) rather than queue work that will not be done in time.
import type { AdmissionConfig } from '../config/index.js';

export interface AdmissionContext {
  /** Tasks already waiting. */
  queued: number;
  /** Whether the task would start on a worker at once. */
  serverFree: boolean;
  /** Servers that can run at once (workers, capped by database connections without pooling). */
  servers: number;
  /** Mean service time, incident ms. */
  meanServiceMs: number;
  /** queue.timeout, if any. */
  timeout: number | undefined;
}

export type AdmissionVerdict = 'admit' | 'queue-limit' | 'deadline';

/**
 * `queueLimit`: reject when admitting would make the queue longer than the limit (0: whenever no server is
 * free, an Erlang loss system). `deadlineAware`: reject when the expected wait, (queued + 1) mean service
 * times shared by the servers, is longer than the queue timeout: that task would time out on average.
 */
export function admissionVerdict(config: AdmissionConfig, ctx: AdmissionContext): AdmissionVerdict {
  if (ctx.serverFree) return 'admit';
  if (config.queueLimit !== undefined && ctx.queued + 1 > config.queueLimit) return 'queue-limit';
  if (config.deadlineAware && ctx.timeout !== undefined) {
    const expectedWait = ctx.servers > 0 ? ((ctx.queued + 1) * ctx.meanServiceMs) / ctx.servers : Infinity;
    if (expectedWait > ctx.timeout) return 'deadline';
  }
  return 'admit';
}
