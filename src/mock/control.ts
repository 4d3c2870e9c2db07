// The control API, on its own port (loopback unless the mock was told otherwise):
//   GET    /state          the model's state (t, speed, config, queued, busy, workers, routersReady, ...)
//   GET    /faults         the fault log
//   POST   /faults         {"fault": "shrink-fleet", "workers": 4, "for": "30s"} -> 201 {id, at, fault, params}
//   DELETE /faults/:id     revert a fault now
//   POST   /reset          initial config, no faults, empty queue, zero counters (time keeps running)
// Anything wrong in a request (bad JSON, unknown fault, params out of range) is a 400 with a one-line
// message and changes nothing. Who may ask at all is control-guard.ts's question, answered first. Every
// answer carries `incident-load-control: 1`, so a client can tell this API from any other HTTP server
// (the traffic port, say) that was given as the control URL by mistake. The proxy (src/proxy/) serves
// the same API over its own state and faults: anything with the shape of ControlSurface can.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FaultError } from '../core/fault-injector.js';
import { CONTROL_API_HEADER, CONTROL_PROGRAM_HEADER } from './control-api.js';
import { refusal, type ControlledProgram } from './control-guard.js';
import { survivesMalformedHttp } from './http-util.js';

const BODY_LIMIT = 64 * 1024;

/**
 * What a control API serves. `inject` and `revert` throw a FaultError (src/core/fault-injector.ts) for a request they
 * refuse (a 400, or 404/409 for DELETE), any other error being a 500.
 */
export interface ControlSurface {
  readonly program: ControlledProgram;
  readonly token: string;
  /** Listening on the network (`--host 0.0.0.0`, in a pod): any client address and Host, the token still required. */
  readonly remote?: boolean;
  state(): unknown;
  faults(): unknown;
  inject(input: unknown): unknown;
  revert(id: number): unknown;
  /** POST /reset; without it the endpoint is a 404. */
  reset?(): { t: number };
}

export function createControlServer(mock: ControlSurface): Server {
  const server = createServer((req, res) => {
    handle(mock, req, res).catch((err: unknown) => send(res, 500, { error: err instanceof Error ? err.message : String(err) }));
  });
  survivesMalformedHttp(server);
  return server;
}

async function handle(mock: ControlSurface, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader(CONTROL_PROGRAM_HEADER, mock.program);
  const refused = refusal(req, mock.token, mock.program, mock.remote === true);
  if (refused) {
    req.resume();
    for (const [name, value] of Object.entries(refused.headers ?? {})) res.setHeader(name, value);
    return send(res, refused.status, { error: refused.error }, true);
  }
  const path = new URL(req.url ?? '/', 'http://control').pathname.replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';
  const body = await readBody(req);
  if (body === undefined) return send(res, 413, { error: `request body over ${BODY_LIMIT} bytes` }, true);

  if (path === '/state') {
    if (method !== 'GET') return methodNotAllowed(res, 'GET');
    return send(res, 200, mock.state());
  }
  if (path === '/faults') {
    if (method === 'GET') return send(res, 200, mock.faults());
    if (method !== 'POST') return methodNotAllowed(res, 'GET, POST');
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch (err) {
      return send(res, 400, { error: `bad JSON: ${(err as Error).message}` });
    }
    return faultResult(res, 201, () => mock.inject(input));
  }
  const match = /^\/faults\/([^/]+)$/.exec(path);
  if (match) {
    if (method !== 'DELETE') return methodNotAllowed(res, 'DELETE');
    const id = Number(match[1]);
    if (!Number.isInteger(id) || id < 1) return send(res, 400, { error: `fault ids are whole numbers from 1, got ${JSON.stringify(match[1])}` });
    return faultResult(res, 200, () => mock.revert(id), true);
  }
  if (path === '/reset' && mock.reset) {
    if (method !== 'POST') return methodNotAllowed(res, 'POST');
    return send(res, 200, { reset: true, t: mock.reset().t });
  }
  const reset = mock.reset ? ', POST /reset' : '';
  return send(res, 404, { error: `no such endpoint: ${method} ${path} (try GET /state, GET|POST /faults, DELETE /faults/:id${reset})` });
}

function faultResult(res: ServerResponse, status: number, action: () => unknown, notFoundIsSpecial = false): void {
  try {
    send(res, status, action());
  } catch (err) {
    if (!(err instanceof FaultError)) throw err;
    const missing = notFoundIsSpecial && /^no fault \d+$/.test(err.message);
    send(res, missing ? 404 : notFoundIsSpecial ? 409 : 400, { error: err.message });
  }
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  send(res, 405, { error: `method not allowed here; use ${allow}` });
}

/** The whole body, or undefined if it is over the limit. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    [CONTROL_API_HEADER]: '1',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}
