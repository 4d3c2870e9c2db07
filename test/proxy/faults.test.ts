// Each proxy fault on real traffic through a proxy in this process, against an upstream this test
// starts: its effect is what it says, within tolerances the sample size justifies (each stated where it
// is used). Latencies are checked from below (a timer never fires early) and on the proxy's own record of
// what it added, which is exact; never against an upper wall-clock bound a busy machine could break.
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ask, inject, many, startTestProxy, startUpstream, statusOf, type Answer, type TestProxy, type Upstream } from './support.js';

let upstream: Upstream | undefined;
let proxy: TestProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await upstream?.close();
  proxy = undefined;
  upstream = undefined;
});

const answers = (xs: (Answer | Error)[]): Answer[] => xs.filter((x): x is Answer => !(x instanceof Error));
const count = <T>(xs: T[], pick: (x: T) => boolean): number => xs.filter(pick).length;
/** Four standard deviations of a binomial count: a false failure about once in 16 000 runs. */
const slack = (n: number, p: number): number => 4 * Math.sqrt(n * p * (1 - p));

describe('add-latency', () => {
  it('delays every response by latency ± jitter: each at least latency − jitter, the mean of the draws within its error', async () => {
    upstream = await startUpstream();
    proxy = await startTestProxy(upstream.url);
    expect((await inject(proxy, { fault: 'add-latency', latency: '100ms', jitter: '20ms' })).status).toBe(201);
    const n = 60;
    const res = answers(await many(proxy.url, n, 30));
    expect(res).toHaveLength(n);
    expect(res.every((r) => r.status === 200)).toBe(true);
    // Uniform on [80, 120]: none sooner than 80 ms (less 1 ms of timer rounding).
    expect(Math.min(...res.map((r) => r.ms))).toBeGreaterThanOrEqual(79);
    const state = proxy.proxy.state();
    expect(state.delayed).toBe(n);
    // The mean of n uniform draws on ±20 ms has sd 20/√3/√n ≈ 1.5 ms: within ±6 ms (4 sd) of 100.
    expect(Math.abs(state.addedMs / n - 100)).toBeLessThan(6);
  });

  it('direction=request holds the request back before the upstream sees it; share=50% delays about half', async () => {
    upstream = await startUpstream();
    proxy = await startTestProxy(upstream.url);
    await inject(proxy, { fault: 'add-latency', latency: '150ms', direction: 'request' });
    const sent = performance.now();
    const one = await ask(proxy.url);
    expect(one.status).toBe(200);
    expect(upstream.seen[0]!.at - sent).toBeGreaterThanOrEqual(149);
    await proxy.close();

    proxy = await startTestProxy(upstream.url);
    await inject(proxy, { fault: 'add-latency', latency: '5ms', share: '50%' });
    const n = 300;
    await many(proxy.url, n, 30);
    // Binomial(300, 0.5): 150 ± 35 (4 sd).
    expect(Math.abs(proxy.proxy.state().delayed - n / 2)).toBeLessThanOrEqual(slack(n, 0.5));
  });
});

describe('error-rate', () => {
  it('answers its share with the status and Retry-After, never reaching the upstream; the same seed gives the same requests', async () => {
    upstream = await startUpstream();
    const n = 500;
    const pattern = async (): Promise<(number | string)[]> => {
      proxy = await startTestProxy(upstream!.url, { seed: 7 });
      await inject(proxy, { fault: 'error-rate', rate: '20%', status: 503, retryAfter: '2s' });
      const res = await many(proxy.url, n, 1);
      const failed = answers(res).filter((r) => r.status === 503);
      // Binomial(500, 0.2): 100 ± 36 (4 sd).
      expect(Math.abs(failed.length - 0.2 * n)).toBeLessThanOrEqual(slack(n, 0.2));
      for (const r of failed) {
        expect(r.headers['retry-after']).toBe('2');
        expect(r.headers['x-incident-load-proxy']).toBe('error-rate');
      }
      await proxy.close();
      return res.map(statusOf);
    };
    const first = await pattern();
    const reached = upstream.seen.length;
    expect(reached).toBe(count(first, (s) => s === 200));
    // One request at a time, so the draws meet the requests in the same order: the same pattern exactly.
    expect(await pattern()).toEqual(first);
    proxy = undefined;
  });
});

describe('cap-connections', () => {
  it('at most N at the upstream at once; the queue holds its limit, the rest get 503 at once; reverting lets the waiters through', async () => {
    const held: http.ServerResponse[] = [];
    upstream = await startUpstream((_req, res) => held.push(res));
    proxy = await startTestProxy(upstream.url);
    const cap = await inject(proxy, { fault: 'cap-connections', connections: 3, queue: 5, timeout: '1m' });
    const pending = Array.from({ length: 20 }, () => ask(proxy!.url));
    // Wait (bounded) until the 3 are at the upstream and the 12 beyond the queue are answered.
    for (let i = 0; i < 200 && !(held.length === 3 && proxy.proxy.state().answered['cap-connections-queue-full'] === 12); i++) await sleep(10);
    expect(held).toHaveLength(3);
    expect(proxy.proxy.state()).toMatchObject({ queued: 5, inFlight: 3 });
    // Let them go one at a time: each release admits one waiter, so the upstream never sees more than 3.
    while (held.length > 0 || proxy.proxy.state().queued > 0) {
      held.shift()?.end('ok');
      await sleep(5);
    }
    const res = await Promise.all(pending);
    expect(count(res, (r) => r.status === 200)).toBe(8);
    const refused = res.filter((r) => r.status === 503);
    expect(refused).toHaveLength(12);
    expect(refused.every((r) => r.headers['x-incident-load-proxy'] === 'cap-connections-queue-full')).toBe(true);
    expect(upstream.maxConcurrent()).toBe(3);

    // Reverted while requests wait: they go on at once.
    const hold2: http.ServerResponse[] = [];
    await upstream.close();
    upstream = await startUpstream((_req, res) => hold2.push(res));
    await proxy.close();
    proxy = await startTestProxy(upstream.url);
    const one = await inject(proxy, { fault: 'cap-connections', connections: 1, timeout: '1m' });
    const waiting = Array.from({ length: 4 }, () => ask(proxy!.url));
    for (let i = 0; i < 200 && proxy.proxy.state().queued < 3; i++) await sleep(10);
    expect(proxy.proxy.state().queued).toBe(3);
    const del = await fetch(`${proxy.controlUrl}/faults/${String(one.body.id)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${proxy.token}`, 'content-type': 'application/json' },
    });
    expect(del.status).toBe(200);
    for (let i = 0; i < 200 && hold2.length < 4; i++) await sleep(10);
    expect(hold2).toHaveLength(4);
    for (const r of hold2) r.end('ok');
    expect((await Promise.all(waiting)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(cap.status).toBe(201);
  });

  it('a request that waits longer than the timeout gets 504', async () => {
    const held: http.ServerResponse[] = [];
    upstream = await startUpstream((_req, res) => held.push(res));
    proxy = await startTestProxy(upstream.url);
    await inject(proxy, { fault: 'cap-connections', connections: 1, timeout: '200ms' });
    const first = ask(proxy.url);
    for (let i = 0; i < 200 && held.length < 1; i++) await sleep(10);
    const second = await ask(proxy.url);
    expect(second.status).toBe(504);
    expect(second.headers['x-incident-load-proxy']).toBe('cap-connections-queue-timeout');
    expect(second.ms).toBeGreaterThanOrEqual(199);
    held[0]!.end('ok');
    expect((await first).status).toBe(200);
    expect(proxy.proxy.state().queued).toBe(0);
  });
});

describe('shorten-timeout', () => {
  it('gives up on the upstream after T with 504; answers quicker than T pass', async () => {
    upstream = await startUpstream((req, res) => setTimeout(() => res.end('late'), req.url === '/slow' ? 2000 : 0));
    proxy = await startTestProxy(upstream.url);
    await inject(proxy, { fault: 'shorten-timeout', timeout: '250ms' });
    const slow = await ask(proxy.url, { path: '/slow' });
    expect(slow.status).toBe(504);
    expect(slow.headers['x-incident-load-proxy']).toBe('shorten-timeout');
    expect(slow.ms).toBeGreaterThanOrEqual(249);
    expect((await ask(proxy.url, { path: '/fast' })).status).toBe(200);
  });
});

describe('rate-limit', () => {
  it('lets through no more than burst + rate × elapsed; the rest get 429 with Retry-After', async () => {
    upstream = await startUpstream();
    proxy = await startTestProxy(upstream.url);
    await inject(proxy, { fault: 'rate-limit', rate: '20/s', burst: 5 });
    const started = performance.now();
    const res = answers(await many(proxy.url, 200, 10));
    const elapsed = (performance.now() - started) / 1000;
    const ok = count(res, (r) => r.status === 200);
    // A token bucket is exact: at most burst + rate × elapsed (+1 for the token being refilled as we stop), at least the burst.
    expect(ok).toBeLessThanOrEqual(5 + 20 * elapsed + 1);
    expect(ok).toBeGreaterThanOrEqual(5);
    const limited = res.filter((r) => r.status === 429);
    expect(limited.length).toBe(200 - ok);
    expect(limited.every((r) => Number(r.headers['retry-after']) >= 1 && r.headers['x-incident-load-proxy'] === 'rate-limit')).toBe(true);
    expect(upstream.seen).toHaveLength(ok);
  });
});

describe('reset', () => {
  it('resets its share of connections (ECONNRESET), which never reach the upstream', async () => {
    upstream = await startUpstream();
    proxy = await startTestProxy(upstream.url, { seed: 3 });
    await inject(proxy, { fault: 'reset', share: '30%' });
    const n = 300;
    const res = await many(proxy.url, n, 10);
    const resets = count(res, (r) => statusOf(r) === 'ECONNRESET');
    // Binomial(300, 0.3): 90 ± 32 (4 sd).
    expect(Math.abs(resets - 0.3 * n)).toBeLessThanOrEqual(slack(n, 0.3));
    expect(proxy.proxy.state().resets).toBe(resets);
    expect(upstream.seen).toHaveLength(n - resets);
  });
});

describe('bandwidth', () => {
  it('sends the body no faster than the rate, intact', async () => {
    const body = Buffer.alloc(60_000, 'x');
    upstream = await startUpstream((_req, res) => res.end(body));
    proxy = await startTestProxy(upstream.url);
    await inject(proxy, { fault: 'bandwidth', rate: '100KB/s' });
    const res = await ask(proxy.url);
    expect(res.body.equals(body)).toBe(true);
    // The first 50 ms' worth goes at once, the rest at the rate: (60 000 − 5 120) bytes at 102 400 B/s ≥ 536 ms.
    expect(res.ms).toBeGreaterThanOrEqual(530);
    // Throughput measured: at most the rate (with the first slice free).
    expect(body.length / (res.ms / 1000)).toBeLessThanOrEqual(102_400 * 1.12);
    expect(proxy.proxy.state().addedMs).toBeGreaterThan(400);
  });
});

describe('blackhole', () => {
  it('never answers; the proxy lets go when the client gives up, at its timeout, and when reverted', async () => {
    upstream = await startUpstream();
    proxy = await startTestProxy(upstream.url);
    const fault = await inject(proxy, { fault: 'blackhole' });
    await expect(ask(proxy.url, { timeoutMs: 200 })).rejects.toThrow('timeout');
    for (let i = 0; i < 100 && proxy.proxy.state().held > 0; i++) await sleep(10);
    expect(proxy.proxy.state().held).toBe(0);

    const waiting = ask(proxy.url).catch((err: Error) => err);
    for (let i = 0; i < 100 && proxy.proxy.state().held < 1; i++) await sleep(10);
    expect(proxy.proxy.state().held).toBe(1);
    await fetch(`${proxy.controlUrl}/faults/${String(fault.body.id)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${proxy.token}`, 'content-type': 'application/json' },
    });
    expect(String(await waiting)).toMatch(/socket hang up|ECONNRESET/);
    expect(proxy.proxy.state().held).toBe(0);

    await inject(proxy, { fault: 'blackhole', timeout: '150ms' });
    expect(String(await ask(proxy.url).catch((err: Error) => err))).toMatch(/socket hang up|ECONNRESET/);
    expect(upstream.seen).toHaveLength(0);
  });
});

describe('for:', () => {
  it('reverts a fault by itself after its time', async () => {
    upstream = await startUpstream();
    proxy = await startTestProxy(upstream.url);
    const created = await inject(proxy, { fault: 'error-rate', rate: 1, for: '200ms' });
    expect(created.body).toMatchObject({ fault: 'error-rate', params: { rate: 1, status: 500 } });
    expect((await ask(proxy.url)).status).toBe(500);
    for (let i = 0; i < 100 && proxy.proxy.state().active > 0; i++) await sleep(10);
    expect((await ask(proxy.url)).status).toBe(200);
    expect(proxy.proxy.faults()[0]!.reverted).toBeGreaterThanOrEqual(199);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
