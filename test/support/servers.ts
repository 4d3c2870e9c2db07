// Loopback servers for end-to-end tests, each on 127.0.0.1 port 0, closed by the test.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  /** Requests seen (for servers that count). */
  requests: () => number;
  close: () => Promise<void>;
}

async function listen(server: net.Server, requests: () => number): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        (server as http.Server).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Answers every request with 200 "ok" after `delayMs` (0: at once). */
export function plainServer(delayMs = 0): Promise<TestServer> {
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    req.resume();
    const answer = (): void => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  server.keepAliveTimeout = 60_000;
  return listen(server, () => count);
}

/** Answers at once, but blocks its own event loop for `stallMs` once, `afterMs` after the first request. */
export function stallingServer(afterMs: number, stallMs: number): Promise<TestServer> {
  let count = 0;
  let armed = false;
  const server = http.createServer((req, res) => {
    count++;
    req.resume();
    if (!armed) {
      armed = true;
      setTimeout(() => {
        const until = Date.now() + stallMs;
        while (Date.now() < until) {
          // a stop-the-world pause: GC, a blocking call, a stuck lock
        }
      }, afterMs);
    }
    res.end('ok');
  });
  server.keepAliveTimeout = 60_000;
  return listen(server, () => count);
}

/** Resets (TCP RST) every connection as soon as a request arrives on it. */
export function resettingServer(): Promise<TestServer> {
  let count = 0;
  const server = http.createServer((req) => {
    count++;
    req.socket.resetAndDestroy();
  });
  return listen(server, () => count);
}

/** Answers every connection with bytes that are not HTTP. */
export function garbageServer(): Promise<TestServer> {
  let count = 0;
  const server = net.createServer((socket) => {
    socket.once('data', () => {
      count++;
      socket.end('this is not http at all\r\n\r\n');
    });
    socket.on('error', () => {});
  });
  return listen(server, () => count);
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Answers 200 (or `statusFor(url)`) and keeps every request it saw (method, url, headers, body). */
export async function recordingServer(statusFor: (url: string) => number = () => 200): Promise<TestServer & { seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.statusCode = statusFor(req.url ?? '');
      res.end('ok');
    });
  });
  return Object.assign(await listen(server, () => seen.length), { seen });
}

/** Answers the first `refusals` requests 429 with `Retry-After: <seconds>`, then 200. */
export function retryAfterServer(refusals: number, seconds: number): Promise<TestServer> {
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    req.resume();
    if (count <= refusals) {
      res.writeHead(429, { 'retry-after': String(seconds) });
      res.end('slow down');
    } else res.end('ok');
  });
  return listen(server, () => count);
}

/** An HTTPS server with the self-signed certificate in test/support/tls (127.0.0.1 and localhost, made for these tests only). */
export async function tlsServer(): Promise<TestServer & { certFile: string }> {
  const { createServer } = await import('node:https');
  const { readFileSync } = await import('node:fs');
  const tls = new URL('./tls/', import.meta.url);
  let count = 0;
  const server = createServer({ key: readFileSync(new URL('key.pem', tls)), cert: readFileSync(new URL('cert.pem', tls)) }, (req, res) => {
    count++;
    req.resume();
    res.end('ok');
  });
  const listening = await listen(server, () => count);
  return { ...listening, url: listening.url.replace('http:', 'https:'), certFile: new URL('cert.pem', tls).pathname };
}

/** Redirects `/` to `/final` with `status` (a Location relative to itself, or to `elsewhere`), answers 200 there; keeps what it saw. */
export async function redirectingServer(status = 302, elsewhere?: string): Promise<TestServer & { seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/final') res.end('here');
      else {
        res.writeHead(status, { location: elsewhere ?? '/final' });
        res.end();
      }
    });
  });
  return Object.assign(await listen(server, () => seen.length), { seen });
}
