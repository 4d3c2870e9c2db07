// The proxy against clients that lie or crawl, as the 2026-12-07 audit found them (group 1, "low-severity
// proxy defects"): forwarded headers a client made up. Each reproduction goes
// through a real proxy in this process, with raw sockets where node:http would hide the case.
import { afterEach, describe, expect, it } from 'vitest';
import { ask, startTestProxy, startUpstream, type TestProxy, type Upstream } from './support.js';

let upstream: Upstream | undefined;
let proxy: TestProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await upstream?.close();
  proxy = undefined;
  upstream = undefined;
});

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
