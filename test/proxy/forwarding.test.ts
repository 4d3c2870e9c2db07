// With no fault the proxy is a faithful HTTP/1.1 reverse proxy: methods, paths and queries, headers (the
// hop-by-hop ones of RFC 9110 §7.6.1 dropped both ways, Via added, Host the upstream's), bodies large and
// chunked both ways, statuses, trailers; and an upstream that refuses, resets, hangs or garbles becomes a
// 502 or 504 with the reason in x-incident-load-proxy, the proxy still serving the next request.
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ask, startTestProxy, startUpstream, type TestProxy, type Upstream } from './support.js';

let upstream: Upstream | undefined;
let proxy: TestProxy | undefined;
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await proxy?.close();
  await upstream?.close();
  for (const close of closers.splice(0)) await close();
  proxy = undefined;
  upstream = undefined;
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('forwarding with no fault', () => {
  it('methods, paths, queries and statuses reach the upstream and come back as they were', async () => {
    upstream = await startUpstream((req, res) => {
      const status = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 200);
      res.writeHead(status, { 'x-method': req.method, 'x-url': req.url });
      res.end(req.method === 'HEAD' || status === 204 || status === 304 ? undefined : `${req.method} ${req.url}`);
    });
    proxy = await startTestProxy(upstream.url);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const path = `/a/b%20c/${method.toLowerCase()}?x=1&y=%2F&x=2`;
      const res = await ask(proxy.url, { method, path, body: method === 'GET' ? undefined : 'payload' });
      expect(res.status).toBe(200);
      expect(res.headers['x-method']).toBe(method);
      expect(res.headers['x-url']).toBe(path);
      expect(res.body.toString()).toBe(`${method} ${path}`);
    }
    for (const status of [201, 204, 301, 304, 404, 418, 500, 503]) {
      const res = await ask(proxy.url, { path: `/s?status=${status}` });
      expect(res.status).toBe(status);
      expect(res.headers['x-incident-load-proxy']).toBeUndefined();
    }
    const head = await ask(proxy.url, { method: 'HEAD', path: '/h' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(upstream.seen.map((s) => s.method)).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', ...Array(8).fill('GET'), 'HEAD']);
  });

  it('hop-by-hop headers are dropped both ways, end-to-end ones kept, Via added, Host the upstream’s', async () => {
    upstream = await startUpstream((_req, res) => {
      res.writeHead(
        200,
        [
          ['x-end-to-end', 'kept'],
          ['x-hop', 'dropped: named by Connection'],
          ['connection', 'x-hop'],
          ['keep-alive', 'timeout=5'],
          ['proxy-authenticate', 'Basic'],
          ['via', '1.1 upstream-cache'],
          ['set-cookie', 'a=1'],
          ['set-cookie', 'b=2'],
        ].flat(),
      );
      res.end('ok');
    });
    proxy = await startTestProxy(upstream.url);
    const res = await ask(proxy.url, {
      headers: {
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': 'must not travel',
        'keep-alive': 'timeout=10',
        'proxy-authorization': 'Basic c2VjcmV0',
        'proxy-connection': 'keep-alive',
        te: 'trailers, deflate',
        upgrade: 'h2c',
        'x-custom': 'kept',
        authorization: 'Bearer end-to-end',
        via: '1.0 client-proxy',
        'x-forwarded-for': '10.0.0.1',
      },
    });
    expect(res.status).toBe(200);
    const seen = upstream.seen[0]!.headers;
    for (const gone of ['x-secret-hop', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'upgrade']) expect(seen[gone]).toBeUndefined();
    // TE is hop-by-hop; "trailers" in it is passed on (the proxy forwards trailers), nothing else.
    expect(seen.te).toBe('trailers');
    expect(seen['x-custom']).toBe('kept');
    expect(seen.authorization).toBe('Bearer end-to-end');
    expect(seen.host).toBe(`127.0.0.1:${upstream.port}`);
    expect(seen['x-forwarded-host']).toBe(new URL(proxy.url).host);
    expect(seen['x-forwarded-for']).toBe('10.0.0.1, 127.0.0.1');
    expect(seen.via).toBe('1.0 client-proxy, 1.1 incident-load');
    expect(res.headers['x-end-to-end']).toBe('kept');
    expect(res.headers['x-hop']).toBeUndefined();
    expect(res.headers['proxy-authenticate']).toBeUndefined();
    expect(res.headers['keep-alive']).not.toBe('timeout=5');
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(res.headers.via).toBe('1.1 upstream-cache, 1.1 incident-load');
  });

  it('large bodies both ways, with a length or chunked, arrive byte for byte', async () => {
    const down = randomBytes(8 * 1024 * 1024);
    upstream = await startUpstream((req, res, body) => {
      res.setHeader('x-got', `${body.length} ${sha(body)}`);
      if (req.url === '/chunked') {
        // No length: node:http sends it chunked, a piece at a time.
        for (let i = 0; i < down.length; i += 1 << 20) res.write(down.subarray(i, i + (1 << 20)));
        res.end();
      } else res.end(down);
    });
    proxy = await startTestProxy(upstream.url);
    const up = randomBytes(5 * 1024 * 1024 + 7);
    const whole = await ask(proxy.url, { method: 'POST', path: '/length', body: up });
    expect(whole.headers['x-got']).toBe(`${up.length} ${sha(up)}`);
    expect(whole.headers['content-length']).toBe(String(down.length));
    expect(sha(whole.body)).toBe(sha(down));
    const pieces = [up.subarray(0, 1000), up.subarray(1000, 3_000_000), up.subarray(3_000_000)];
    const chunked = await ask(proxy.url, { method: 'PUT', path: '/chunked', chunks: pieces, headers: { 'transfer-encoding': 'chunked' } });
    expect(chunked.headers['x-got']).toBe(`${up.length} ${sha(up)}`);
    expect(chunked.headers['transfer-encoding']).toBe('chunked');
    expect(sha(chunked.body)).toBe(sha(down));
    expect(upstream.seen[1]!.headers['transfer-encoding']).toBe('chunked');
  });

  it('trailers come through after a chunked body', async () => {
    upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { trailer: 'x-checksum' });
      res.write('part one, ');
      res.write('part two');
      res.addTrailers({ 'x-checksum': 'abc123' });
      res.end();
    });
    proxy = await startTestProxy(upstream.url);
    const res = await ask(proxy.url, { headers: { te: 'trailers' } });
    expect(res.body.toString()).toBe('part one, part two');
    expect(res.headers.trailer).toBe('x-checksum');
    expect(res.trailers['x-checksum']).toBe('abc123');
  });

  it('a path in the upstream URL is prefixed, and an absolute-form target is forwarded by its path', async () => {
    upstream = await startUpstream((req, res) => res.end(req.url));
    proxy = await startTestProxy(`${upstream.url}/api/v2/`);
    expect((await ask(proxy.url, { path: '/users?id=3' })).body.toString()).toBe('/api/v2/users?id=3');
    const raw = await rawExchange(proxy.url, 'GET http://elsewhere.example/x?y=1 HTTP/1.1\r\nHost: elsewhere.example\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    expect(raw).toMatch(/\/api\/v2\/x\?y=1$/);
  });
});

describe('an upstream that fails', () => {
  it('refuses: 502 upstream-refused, and the proxy goes on', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    proxy = await startTestProxy(`http://127.0.0.1:${port}`);
    for (let i = 0; i < 3; i++) {
      const res = await ask(proxy.url);
      expect(res.status).toBe(502);
      expect(res.headers['x-incident-load-proxy']).toBe('upstream-refused');
      expect(res.body.toString()).toMatch(/refused the connection/);
    }
    expect(proxy.proxy.state().answered).toEqual({ 'upstream-refused': 3 });
  });

  it('resets before answering: 502 upstream-reset', async () => {
    const resetting = net.createServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => resetting.close(() => resolve())));
    proxy = await startTestProxy(`http://127.0.0.1:${(resetting.address() as AddressInfo).port}`);
    const res = await ask(proxy.url);
    expect(res.status).toBe(502);
    expect(res.headers['x-incident-load-proxy']).toBe('upstream-reset');
  });

  it('hangs: 504 upstream-timeout after the upstream timeout, and the hung request is let go', async () => {
    upstream = await startUpstream(() => undefined); // never answers
    proxy = await startTestProxy(upstream.url, { upstreamTimeoutMs: 300 });
    const res = await ask(proxy.url);
    expect(res.status).toBe(504);
    expect(res.headers['x-incident-load-proxy']).toBe('upstream-timeout');
    // Timers never fire early: the proxy waited at least its timeout (less 1 ms of timer rounding).
    expect(res.ms).toBeGreaterThanOrEqual(299);
    expect(proxy.proxy.state().inFlight).toBe(0);
  });

  it('answers garbage: 502 upstream-bad-response', async () => {
    const garbage = net.createServer((socket) => socket.once('data', () => socket.end('NOT HTTP AT ALL\r\n\r\n')));
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => garbage.close(() => resolve())));
    proxy = await startTestProxy(`http://127.0.0.1:${(garbage.address() as AddressInfo).port}`);
    const res = await ask(proxy.url);
    expect(res.status).toBe(502);
    expect(res.headers['x-incident-load-proxy']).toBe('upstream-bad-response');
  });
});

describe('hostile input on the traffic port', () => {
  it('malformed HTTP gets a 400 and a closed connection; the proxy serves the next request', async () => {
    upstream = await startUpstream();
    proxy = await startTestProxy(upstream.url);
    for (const junk of [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n',
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\n\r\n`,
      '\x00\x01\x02\r\n\r\n',
    ]) {
      expect(await rawExchange(proxy.url, junk)).toMatch(/^HTTP\/1\.1 (400|431)/);
    }
    expect(await rawExchange(proxy.url, 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400[\s\S]*bad-request/);
    expect(upstream.seen).toHaveLength(0);
    expect((await ask(proxy.url)).status).toBe(200);
  });
});

/** Writes raw bytes to the proxy and resolves with everything it answered until it closed the connection. */
function rawExchange(base: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    socket.on('end', () => resolve(text));
    socket.on('close', () => resolve(text));
    socket.on('error', (err) => (text ? resolve(text) : reject(err)));
    socket.setTimeout(5000, () => socket.destroy());
  });
}
