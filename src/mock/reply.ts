// The model's Reply as a client receives it: status, headers (Retry-After, Server-Timing, the JSON body's
// type and length) and the small JSON body. The HTTP traffic port (server.ts) and the model in process
// (in-process.ts) both answer through here, so the two worlds cannot disagree about what an answer says.
// Also what both read from a request: whether it asked for high priority.
import type { MockConfig } from './config/index.js';
import type { Reply } from './model/task.js';

export interface ReplyMessage {
  status: number;
  /** Header names lower-case, in the order written. */
  headers: [name: string, value: string][];
  body: string;
}

export function replyMessage(reply: Reply, taskId: number): ReplyMessage {
  const timing: string[] = [];
  if (reply.queueMs !== undefined) timing.push(`queue;dur=${ms(reply.queueMs)}`);
  if (reply.serviceMs !== undefined) timing.push(`service;dur=${ms(reply.serviceMs)}`);
  if (reply.dbWaitMs !== undefined) timing.push(`db;dur=${ms(reply.dbWaitMs)}`);
  if (reply.delayMs !== undefined) timing.push(`delay;dur=${ms(reply.delayMs)}`);
  const body = JSON.stringify(
    reply.status === 200
      ? { ok: true, task: taskId, arrivedAt: reply.arrivedAt, queueMs: reply.queueMs, serviceMs: reply.serviceMs }
      : { ok: false, task: taskId, arrivedAt: reply.arrivedAt, status: reply.status, error: reply.reason },
  );
  const headers: [string, string][] = [
    ['content-type', 'application/json'],
    ['content-length', String(Buffer.byteLength(body))],
  ];
  if (timing.length > 0) headers.push(['server-timing', timing.join(', ')]);
  if (reply.retryAfter !== undefined) headers.push(['retry-after', String(reply.retryAfter)]);
  return { status: reply.status, headers, body };
}

/**
 * Whether a request asked for high priority: the priority section is on and its header says `high`.
 * `header(name)` reads the request's header by its lower-case name. Read inside the clock's step, so a
 * fault that just changed the priority section has been applied.
 */
export function asksHighPriority(config: MockConfig, header: (name: string) => string | undefined): boolean {
  const priority = config.priority;
  if (priority === undefined) return false;
  const value = header(priority.header);
  return typeof value === 'string' && value.trim().toLowerCase() === 'high';
}

/** Incident ms with microsecond resolution. */
function ms(value: number): number {
  return Math.round(value * 1000) / 1000;
}
