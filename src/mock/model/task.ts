// One request's life inside the mock. The HTTP layer hands in a `respond` callback; the model calls it
// exactly once, when the answer is due in virtual time, unless nobody is listening any more.
import type { ScheduledEvent } from './simulation.js';
import type { RouterNode } from './router-node.js';

/** What the model answers; the HTTP layer turns it into status, headers and a small JSON body. */
export interface Reply {
  status: number;
  /** A short machine-readable cause, e.g. "served", "rate-limited", "queue-timeout". */
  reason: string;
  /** Virtual time the request arrived, incident ms since the mock started (set on every reply). */
  arrivedAt?: number;
  /** Incident ms waited in the queue (served and timed-out tasks). */
  queueMs?: number;
  /** Incident ms on a worker, including any wait for a pooled database connection. */
  serviceMs?: number;
  /** Incident ms of that service spent waiting for a pooled database connection. */
  dbWaitMs?: number;
  /** Incident ms of added latency (the add-latency fault / `latency` section). */
  delayMs?: number;
  /** Retry-After, incident seconds (whole, at least 1). */
  retryAfter?: number;
}

/** Receives the answer and the task's id (ids count arrivals from 1). */
export type Respond = (reply: Reply, taskId: number) => void;

/** The answer of a task nobody waits for any more. */
export const NO_ANSWER: Respond = () => undefined;

export type TaskPhase = 'arriving' | 'queued' | 'service' | 'replying' | 'done';

export class Task {
  phase: TaskPhase = 'arriving';
  /** Nobody is listening: the client left, or a router failure already answered it with a 502. */
  detached = false;
  /** Marked high priority on arrival (the priority section was on and its header said `high`). */
  high = false;
  node: RouterNode | undefined;
  startedAt = 0;
  queueMs = 0;
  /** Sampled work on the worker, incident ms. */
  workMs = 0;
  dbWaitMs = 0;
  /** Completion of the service, or delivery of a delayed reply; cancelled if the task is aborted. */
  pending: ScheduledEvent | undefined;
  /** End of the hold on a pooled database connection. */
  dbRelease: ScheduledEvent | undefined;
  /** Whether the task holds (or waits for) a pooled database connection. */
  db: 'none' | 'waiting' | 'holding' = 'none';

  constructor(
    readonly id: number,
    readonly arrivedAt: number,
    /** Set to NO_ANSWER once nobody listens, so an abandoned task in the queue keeps no socket alive. */
    public respond: Respond,
  ) {}
}
