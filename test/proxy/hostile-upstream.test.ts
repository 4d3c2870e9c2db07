// The proxy against upstreams and clients that misbehave, as the 2026-12-07 audit found them (group 1):
// each reproduction through a real proxy in this process, raw sockets where node:http would hide the case.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { inject, rawClient as openRaw, rawSocket, startTestProxy, type RawClient, type TestProxy } from './support.js';

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
const rawClient = (url: string, raw: string): RawClient => openRaw(url, raw, sockets);
let proxy: TestProxy | undefined;
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await proxy?.close();
  proxy = undefined;
  for (const s of servers.splice(0)) {
    (s as http.Server).closeAllConnections?.();
    await new Promise((resolve) => s.close(resolve));
  }
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function listen<S extends net.Server>(server: S): Promise<{ server: S; url: string }> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('bandwidth keeps backpressure: a client that reads slowly slows the upstream', () => {
  it('an endless body to a client that never reads: the upstream is held back, not buffered (2 GB in 12 s before)', async () => {
    const CAP = 256 * 1024 * 1024;
    let written = 0;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const { url: upstreamUrl } = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const pump = (): void => {
          while (written < CAP) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      }),
    );
    proxy = await startTestProxy(upstreamUrl);
    expect((await inject(proxy, { fault: 'bandwidth', rate: '10GB/s' })).status).toBe(201);
    const client = rawClient(proxy.url, 'GET /endless HTTP/1.1\r\nHost: x\r\n\r\n');
    client.socket.pause();
    // Until the upstream stops getting anywhere (no byte more in a second), or reaches the cap unhindered.
    let last = -1;
    for (let still = 0; still < 10 && written < CAP; await sleep(100)) {
      still = written === last ? still + 1 : 0;
      last = written;
    }
    // What the sockets' buffers hold between the upstream and the client: a few MB, never the cap.
    expect(written).toBeLessThan(64 * 1024 * 1024);
    // And reading on, the client gets the body flowing again.
    client.socket.resume();
    const before = written;
    for (let i = 0; i < 200 && written === before; i++) await sleep(10);
    expect(written).toBeGreaterThan(before);
  });
});

/** An upstream that answers every request with `raw`, written as bytes. */
async function rawUpstream(raw: Buffer | string): Promise<string> {
  const { url } = await listen(
    net.createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.write(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw));
    }),
  );
  return url;
}

describe('a reason phrase beyond ASCII from the upstream', () => {
  it.each([
    ['200 caf\\xe9 \\xff', Buffer.from('HTTP/1.1 200 caf\xe9 \xff\r\nContent-Length: 2\r\n\r\nok', 'latin1')],
    ['200 ✓ fine (UTF-8)', Buffer.from('HTTP/1.1 200 ✓ fine\r\nContent-Length: 2\r\n\r\nok', 'utf8')],
  ])('%s: the answer is passed on with the standard phrase (the client got nothing for 75 s before)', async (_, raw) => {
    proxy = await startTestProxy(await rawUpstream(raw));
    const client = rawClient(proxy.url, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/);
    expect(proxy.proxy.state().answered).toEqual({});
  });

  it('with a header node:http will not pass on as well: 502 upstream-bad-response, answered', async () => {
    proxy = await startTestProxy(await rawUpstream('HTTP/1.1 200 caf\xe9\r\nX-Bad: a\x01b\r\nContent-Length: 2\r\n\r\nok'));
    const client = rawClient(proxy.url, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r\n[\s\S]*x-incident-load-proxy: upstream-bad-response/i);
  });
});

describe('an unsolicited 100 Continue before the final answer (RFC 9110 §15.2: a client parses 1xx it did not ask for)', () => {
  it.each([
    ['100 alone', 'HTTP/1.1 100 Continue\r\n\r\n'],
    ['100 then 103', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n'],
    ['103 then 100', 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n'],
  ])('%s: the client gets the final answer (502 upstream-reset before)', async (_, interim) => {
    // Each request on a connection of its own: the final answer closes it.
    const { url } = await listen(
      net.createServer((socket) => {
        socket.on('error', () => {});
        socket.once('data', () => socket.end(`${interim}HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok`));
      }),
    );
    proxy = await startTestProxy(url);
    for (const request of [
      'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello',
    ]) {
      const client = rawClient(proxy.url, request);
      await client.closed;
      expect(client.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/);
    }
    expect(proxy.proxy.state().answered).toEqual({});
  });
});

/**
 * Sends the proxy one request of `total` bytes with its length, as fast as the connection takes them:
 * `done` is "uploaded" once all is written (far more than the sockets' buffers hold: the proxy read it),
 * or "closed" when the connection closes first.
 */
function upload(url: string, total: number): { received: () => string; done: Promise<'uploaded' | 'closed'> } {
  const { socket, received } = rawSocket(url, sockets);
  const done = new Promise<'uploaded' | 'closed'>((resolve) => {
    socket.on('close', () => resolve('closed'));
    socket.write(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: ${total}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 'u');
    let sent = 0;
    const more = (): void => {
      while (sent < total && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', more);
      }
      socket.write('', () => resolve('uploaded'));
    };
    more();
  });
  return { received, done };
}

describe('an upstream that answers while the client is still uploading', () => {
  const TOTAL = 64 * 1024 * 1024;
  const EARLY = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nearly';
  it.each([
    ['answers and closes the connection (a reset: the body is unread)', (socket: net.Socket) => socket.destroy()],
    ['answers and ends its side, reading on', (socket: net.Socket) => socket.end()],
  ])('%s: the client gets the answer, and its upload is drained or its connection closed at once (502, then a stall to 66 s, before)', async (_, close) => {
    const { url } = await listen(
      net.createServer((socket) => {
        socket.on('error', () => {});
        socket.once('data', () => socket.write(EARLY, () => close(socket)));
      }),
    );
    proxy = await startTestProxy(url);
    const client = upload(proxy.url, TOTAL);
    // A liveness bound, far from both: the upload stalled until the keep-alive timeout (66 s) before.
    const outcome = await Promise.race([client.done, sleep(15_000).then(() => 'stalled')]);
    expect(outcome).not.toBe('stalled');
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nearly$/);
    expect(proxy.proxy.state().answered).toEqual({});
  });

  it('answers at once and reads the body on (node:http): the client gets the answer and its upload is not left hanging', async () => {
    const { url } = await listen(http.createServer((_req, res) => res.end('early')));
    proxy = await startTestProxy(url);
    const client = upload(proxy.url, TOTAL);
    const outcome = await Promise.race([client.done, sleep(15_000).then(() => 'stalled')]);
    expect(outcome).not.toBe('stalled');
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nearly$/);
  });
});
