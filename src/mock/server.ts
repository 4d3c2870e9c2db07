// The traffic port: any method, any path is a task for the simulated service. The answer is written when
// the model delivers it (in virtual time); a client that disconnects first is reported to the model, which
// keeps working on the task unless queue.cancelOnDisconnect. With the priority section on, the request's
// priority header (value `high`) marks it high priority.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SimulatedService } from './model/simulated-service.js';
import type { Reply } from './model/task.js';
import { survivesMalformedHttp } from './http-util.js';
import type { WallClock } from './wall-clock.js';

export function createTrafficServer(service: SimulatedService, clock: WallClock): Server {
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => handle(service, clock, req, res));
  survivesMalformedHttp(server);
  return server;
}

function handle(service: SimulatedService, clock: WallClock, req: IncomingMessage, res: ServerResponse): void {
  req.resume(); // the body is not needed; draining it keeps the connection reusable
  let answered = false;
  const task = clock.step(() =>
    service.arrive(
      (reply, taskId) => {
        answered = true;
        writeReply(res, reply, taskId);
      },
      isHighPriority(service, req),
    ),
  );
  if (answered) return;
  res.on('close', () => {
    if (!answered) clock.step(() => service.abandon(task));
  });
}

/** Read inside the clock's step, so a fault that just changed the priority section has been applied. */
function isHighPriority(service: SimulatedService, req: IncomingMessage): boolean {
  const priority = service.config.priority;
  if (priority === undefined) return false;
  const value = req.headers[priority.header];
  return typeof value === 'string' && value.trim().toLowerCase() === 'high';
}

function writeReply(res: ServerResponse, reply: Reply, taskId: number): void {
  if (res.destroyed || res.headersSent) return;
  const timing: string[] = [];
  if (reply.queueMs !== undefined) timing.push(`queue;dur=${ms(reply.queueMs)}`);
  if (reply.serviceMs !== undefined) timing.push(`service;dur=${ms(reply.serviceMs)}`);
  if (reply.dbWaitMs !== undefined) timing.push(`db;dur=${ms(reply.dbWaitMs)}`);
  if (reply.delayMs !== undefined) timing.push(`delay;dur=${ms(reply.delayMs)}`);
  const body =
    reply.status === 200
      ? { ok: true, task: taskId, arrivedAt: reply.arrivedAt, queueMs: reply.queueMs, serviceMs: reply.serviceMs }
      : { ok: false, task: taskId, arrivedAt: reply.arrivedAt, status: reply.status, error: reply.reason };
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  };
  if (timing.length > 0) headers['server-timing'] = timing.join(', ');
  if (reply.retryAfter !== undefined) headers['retry-after'] = reply.retryAfter;
  res.writeHead(reply.status, headers);
  res.end(text);
}

/** Incident ms with microsecond resolution. */
function ms(value: number): number {
  return Math.round(value * 1000) / 1000;
}
