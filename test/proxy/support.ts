// A proxy in this process in front of an upstream this test starts, both on 127.0.0.1 port 0, and a
// plain node:http client that shows everything (raw headers, trailers, errors) a proxy test asks about.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { createProxy, type Proxy, type ProxyOptions } from '../../src/proxy/proxy.js';

export interface Upstream {
  url: string;
  port: number;
  /** Requests seen, in order of arrival: method, url, headers, body bytes, arrival time. */
  seen: { method: string; url: string; headers: http.IncomingHttpHeaders; rawHeaders: string[]; bytes: number; at: number }[];
  /** Most requests it was handling at once. */
  maxConcurrent: () => number;
  close: () => Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

/** An upstream that reads each request's whole body, then calls `handler` (default: 200 "ok"). */
export async function startUpstream(handler: Handler = (_req, res) => res.end('ok')): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  let running = 0;
  let max = 0;
  const server = http.createServer((req, res) => {
    running++;
    max = Math.max(max, running);
    res.on('close', () => running--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, bytes: body.length, at: performance.now() });
      handler(req, res, body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    maxConcurrent: () => max,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TestProxy {
  proxy: Proxy;
  url: string;
  controlUrl: string;
  token: string;
  close: () => Promise<void>;
}

export async function startTestProxy(upstream: string, options: Partial<ProxyOptions> = {}): Promise<TestProxy> {
  const proxy = createProxy({ upstream, ...options });
  const address = await proxy.listen();
  return { proxy, ...address, close: () => proxy.close() };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  trailers: NodeJS.Dict<string>;
  body: Buffer;
  ms: number;
}

export interface Ask {
  method?: string;
  path?: string;
  headers?: http.OutgoingHttpHeaders;
  /** A body sent whole (content-length), or pieces sent chunked. */
  body?: Buffer | string;
  chunks?: (Buffer | string)[];
  agent?: http.Agent | false;
  /** Abort after this long (ms): the answer is then an error "timeout". */
  timeoutMs?: number;
}

/** One request; rejects with the connection error (ECONNRESET, "socket hang up", "timeout"). */
export function ask(base: string, options: Ask = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(options.path ?? '/', base),
      {
        method: options.method ?? 'GET',
        // A whole body goes with its length (node:http would send a DELETE's without one).
        headers: options.body !== undefined && !options.chunks ? { 'content-length': Buffer.byteLength(options.body), ...options.headers } : options.headers,
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            trailers: res.trailers,
            body: Buffer.concat(chunks),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    if (options.timeoutMs !== undefined) req.setTimeout(options.timeoutMs, () => req.destroy(new Error('timeout')));
    if (options.chunks) {
      for (const c of options.chunks) req.write(c);
      req.end();
    } else req.end(options.body);
  });
}

/** POST /faults on the proxy's control API: the answer's status and JSON. */
export async function inject(p: TestProxy, fault: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${p.controlUrl}/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** `n` requests, at most `concurrency` at once, on keep-alive connections; every answer (or error). */
export async function many(base: string, n: number, concurrency: number, options: Ask = {}): Promise<(Answer | Error)[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const out: (Answer | Error)[] = new Array(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      out[i] = await ask(base, { ...options, agent }).catch((err: Error) => err);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return out;
}

export const statusOf = (a: Answer | Error): number | string => (a instanceof Error ? ((a as NodeJS.ErrnoException).code ?? a.message) : a.status);

/** A raw connection to `url`: the socket (kept in `sockets`, for the test to destroy), what it received, its close. */
export interface RawClient {
  socket: net.Socket;
  received: () => string;
  closed: Promise<void>;
}

export function rawSocket(url: string, sockets: net.Socket[]): RawClient {
  const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
  sockets.push(socket);
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { socket, received: () => text, closed };
}

/** Sends `raw` on a raw connection and keeps it open (where node:http would hide the case). */
export function rawClient(url: string, raw: string, sockets: net.Socket[]): RawClient {
  const client = rawSocket(url, sockets);
  client.socket.write(raw);
  return client;
}
