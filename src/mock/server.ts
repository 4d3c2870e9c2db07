// The traffic port: any method, any path is a task for the simulated service. The answer is written when
// the model delivers it (in virtual time); a client that disconnects first is reported to the model, which
// keeps working on the task unless queue.cancelOnDisconnect. With the priority section on, the request's
// priority header (value `high`) marks it high priority.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SimulatedService } from './model/simulated-service.js';
import type { Reply } from './model/task.js';
import { survivesMalformedHttp } from './http-util.js';
import { asksHighPriority, replyMessage } from './reply.js';
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

function isHighPriority(service: SimulatedService, req: IncomingMessage): boolean {
  return asksHighPriority(service.config, (name) => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : undefined;
  });
}

function writeReply(res: ServerResponse, reply: Reply, taskId: number): void {
  if (res.destroyed || res.headersSent) return;
  const message = replyMessage(reply, taskId);
  res.writeHead(message.status, message.headers.flat());
  res.end(message.body);
}
