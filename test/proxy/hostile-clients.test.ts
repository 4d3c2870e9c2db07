// The proxy against clients that lie or crawl, as the 2026-12-07 audit found them (group 1, "low-severity
// proxy defects"): forwarded headers a client made up, and uploads that trickle. Each reproduction goes
// through a real proxy in this process, with raw sockets where node:http would hide the case.
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ask, rawClient as openRaw, startTestProxy, startUpstream, type RawClient, type TestProxy, type Upstream } from './support.js';

let upstream: Upstream | undefined;
let proxy: TestProxy | undefined;
const sockets: net.Socket[] = [];
const rawClient = (url: string, raw: string): RawClient => openRaw(url, raw, sockets);
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await proxy?.close();
  await upstream?.close();
  proxy = undefined;
  upstream = undefined;
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `ok()` holds, for `ms` at most (a liveness bound); returns whether it did. */
async function until(ok: () => boolean, ms = 10_000): Promise<boolean> {
  for (const end = performance.now() + ms; performance.now() < end; await sleep(20)) if (ok()) return true;
  return ok();
}

describe("a client's own forwarded headers", () => {
  it('X-Forwarded-Host and X-Forwarded-Proto are the proxy’s; Forwarded and X-Forwarded-For end with its element (the client’s came first before)', async () => {
    upstream = await startUpstream();
    proxy = await startTestProxy(upstream.url);
    const res = await ask(proxy.url, {
      headers: {
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
        forwarded: 'for=1.2.3.4;proto=https',
        'x-forwarded-for': '1.2.3.4',
      },
    });
    expect(res.status).toBe(200);
    const host = new URL(proxy.url).host;
    const seen = upstream.seen[0]!;
    expect(seen.headers['x-forwarded-host']).toBe(host);
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers.forwarded).toBe(`for=1.2.3.4;proto=https, for=127.0.0.1;host="${host}";proto=http`);
    expect(seen.headers['x-forwarded-for']).toBe('1.2.3.4, 127.0.0.1');
    // One of each: nothing of the client's left in another header of the same name.
    const names = seen.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    for (const name of ['x-forwarded-host', 'x-forwarded-proto', 'forwarded', 'x-forwarded-for']) expect(names.filter((n) => n === name)).toHaveLength(1);
  });

  it('without any from the client: the proxy’s own, Forwarded included', async () => {
    upstream = await startUpstream();
    proxy = await startTestProxy(upstream.url);
    await ask(proxy.url);
    const host = new URL(proxy.url).host;
    expect(upstream.seen[0]!.headers).toMatchObject({
      'x-forwarded-host': host,
      'x-forwarded-proto': 'http',
      'x-forwarded-for': '127.0.0.1',
      forwarded: `for=127.0.0.1;host="${host}";proto=http`,
    });
  });
});

describe('uploads that trickle', () => {
  it('clients holding bodies open do not take the upstream connections from a plain GET, and are counted as abandoned when they leave', async () => {
    upstream = await startUpstream(); // answers once it has the whole body: never, for these
    // Four connections to the upstream, so that a few clients show what 1,100 did to the default 1,024.
    proxy = await startTestProxy(upstream.url, { upstreamConnections: 4 });
    const clients = [
      // A small body: 1 byte of 1,000 sent.
      ...Array.from({ length: 8 }, () => rawClient(proxy!.url, 'POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nx')),
      // A large one: 64 KiB of 1 MiB sent, then nothing.
      ...Array.from({ length: 8 }, () => rawClient(proxy!.url, `POST /large HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n${'y'.repeat(65536)}`)),
    ];
    const p = proxy.proxy;
    expect(await until(() => p.state().requests === 16 && p.state().pool.connected >= 3)).toBe(true);
    // A bounded wait (5 s) for an answer that never came before: all 4 connections were held.
    const res = await ask(proxy.url, { path: '/plain', timeoutMs: 5000 });
    expect(res.status).toBe(200);
    const state = p.state();
    expect(state.reading).toBe(8);
    expect(state.uploads).toEqual({ streaming: 3, waiting: 5 });
    expect(state.pool.running).toBeLessThanOrEqual(3);
    for (const c of clients) c.socket.destroy();
    expect(await until(() => p.state().abandoned === 16 && p.state().inFlight === 0)).toBe(true);
    expect(p.state()).toMatchObject({ reading: 0, uploads: { streaming: 0, waiting: 0 } });
  });

  it('a body that stops coming is answered 408 and its connection closed, whether read whole or streamed', async () => {
    upstream = await startUpstream();
    proxy = await startTestProxy(upstream.url, { bodyTimeoutMs: 300 });
    const small = rawClient(proxy.url, 'POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nx');
    const large = rawClient(proxy.url, `POST /large HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n${'y'.repeat(65536)}`);
    // A liveness bound: before, both waited for ever (node's own 300 s request timeout at best).
    const closed = await Promise.race([Promise.all([small.closed, large.closed]).then(() => true), sleep(10_000).then(() => false)]);
    expect(closed).toBe(true);
    for (const c of [small, large]) expect(c.received()).toMatch(/^HTTP\/1\.1 408 [\s\S]*x-incident-load-proxy: request-body-timeout[\s\S]*connection: close/i);
    expect(proxy.proxy.state().answered).toEqual({ 'request-body-timeout': 2 });
    expect(upstream.seen).toHaveLength(0);
    expect((await ask(proxy.url)).status).toBe(200);
  });
});
