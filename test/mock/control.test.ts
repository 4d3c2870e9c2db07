// The control API and the traffic port against hostile or clumsy input: nothing changes, nothing crashes.
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMockConfig } from '../../src/mock/config/index.js';
import { startMock, type RunningMock } from '../../src/mock/launch.js';
import { control, count, openLoop, state, waitFor } from './support/clients.js';
import { launch } from './support/mock-process.js';

/** Writes raw bytes to a port and returns whatever comes back before the server closes the socket. */
function raw(url: string, bytes: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.write(bytes);
    setTimeout(() => socket.end(), 200);
  });
}

describe('control API: loopback only, 400 for bad input, and no change', () => {
  // One mock takes every bad request in turn: each must leave it exactly as it was.
  let hostileTarget: RunningMock | undefined;
  afterAll(() => hostileTarget?.stop());
  async function shared(): Promise<RunningMock> {
    hostileTarget ??= await startMock({ config: defaultMockConfig() });
    return hostileTarget;
  }

  it('listens on loopback only', async () => {
    const mock = await launch({});
    expect(new URL(mock.controlUrl).hostname).toBe('127.0.0.1');
    expect(new URL(mock.url).hostname).toBe('127.0.0.1');
    // If this machine has another address, the control port is not reachable on it.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const port = new URL(mock.controlUrl).port;
      await expect(fetch(`http://${external.address}:${port}/state`)).rejects.toThrow();
    }
  });

  it.each([
    ['bad JSON', '{"fault": "shrink-fleet", workers: 4', /^bad JSON: /],
    ['not an object', '[1, 2]', /^expected a JSON object/],
    ['no fault name', '{"workers": 4}', /^"fault" must name a fault/],
    ['an unknown fault', '{"fault": "melt-datacenter"}', /^unknown fault "melt-datacenter" \(known: shrink-fleet, .*set\)$/],
    ['a negative worker count', '{"fault": "shrink-fleet", "workers": -1}', /^shrink-fleet: workers: expected a whole number from 0 to 100000, got -1$/],
    ['a fractional worker count', '{"fault": "shrink-fleet", "workers": "2.5"}', /^shrink-fleet: workers: expected a whole number/],
    ['an unknown param', '{"fault": "shrink-fleet", "workers": 2, "region": "eu"}', /^shrink-fleet: Unrecognized key: "region"$/],
    ['a missing param', '{"fault": "shorten-timeout"}', /^shorten-timeout: timeout: expected a duration/],
    ['a bare number for a duration', '{"fault": "shorten-timeout", "timeout": 60}', /timeout: expected a duration such as "250ms"/],
    ['a bad for:', '{"fault": "break-monitor", "for": "soon"}', /^break-monitor: for: expected a duration/],
    ['a share above 1', '{"fault": "error-rate", "rate": 1.5}', /^error-rate: rate: expected a share from 0 to 1/],
    ['an error status that is not an error', '{"fault": "error-rate", "rate": 0.1, "status": 200}', /status: expected a whole number from 400 to 599/],
    ['routers that do not exist', '{"fault": "kill-routers", "count": 2}', /^kill-routers: needs router nodes, but the routers section is off$/],
  ])('refuses %s with 400 and a one-line message, changing nothing', async (_, body, message) => {
    const mock = await shared();
    const before = await state(mock);
    const res = await control<{ error: string }>(mock, 'POST', '/faults', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
    expect(res.body.error).not.toContain('\n');
    const after = await state(mock);
    expect(after.faults).toEqual([]);
    expect(after.config).toEqual(before.config);
  });

  it('applies, lists and reverts faults; unknown ids are 404, a second revert 409', async () => {
    const mock = await launch({ fleet: { workers: 6 } });
    const created = await control<{ id: number; at: number; fault: string; params: unknown }>(mock, 'POST', '/faults', { fault: 'shrink-fleet', workers: '3' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 1, fault: 'shrink-fleet', params: { workers: 3 } });
    expect((await state(mock)).workers).toBe(3);
    expect((await control<unknown[]>(mock, 'GET', '/faults')).body).toHaveLength(1);
    expect((await control(mock, 'DELETE', '/faults/1')).status).toBe(200);
    expect((await state(mock)).workers).toBe(6);
    expect((await control(mock, 'DELETE', '/faults/1')).status).toBe(409);
    expect((await control(mock, 'DELETE', '/faults/99')).status).toBe(404);
    expect((await control(mock, 'DELETE', '/faults/abc')).status).toBe(400);
    expect((await control(mock, 'GET', '/nope')).status).toBe(404);
    expect((await control(mock, 'PUT', '/state')).status).toBe(405);
    const big = await control(mock, 'POST', '/faults', `{"fault":"set","x":"${'a'.repeat(100_000)}"}`).catch(() => ({ status: 413 }));
    expect(big.status).toBe(413);
  });

  it('POST /reset returns to the initial config with no faults, no queue and zero counters', async () => {
    const mock = await launch({ fleet: { workers: 1, serviceTime: '1h' } });
    await control(mock, 'POST', '/faults', { fault: 'set', 'fleet.workers': 2 });
    const pending = openLoop({ url: mock.url, rate: 1000, count: 5, seed: 1 });
    await waitFor(mock, (s) => s.queued === 3);
    expect((await control(mock, 'POST', '/reset')).status).toBe(200);
    const outcomes = await pending;
    expect(count(outcomes, 503)).toBe(5); // everyone still waiting is told
    const s = await state(mock);
    expect(s).toMatchObject({ queued: 0, busy: 0, workers: 1, faults: [] });
    expect(s.counters.arrived).toBe(0);
  });

  it('survives garbage and malformed HTTP on both ports', async () => {
    const mock = await launch({});
    for (const url of [mock.url, mock.controlUrl]) {
      expect(await raw(url, 'GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
      expect(await raw(url, Buffer.from([0, 1, 2, 255, 254, 13, 10, 13, 10]))).toMatch(/^HTTP\/1\.1 400/);
      expect(await raw(url, 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
      expect(await raw(url, `GET /${'a'.repeat(100_000)} HTTP/1.1\r\n\r\n`)).toMatch(/^HTTP\/1\.1 4\d\d/);
      await raw(url, 'GET / HTTP/1.1\r\nHost: x\r\n'); // never finished
    }
    // Still serving on both ports.
    expect((await openLoop({ url: mock.url, rate: 100, count: 5, seed: 1 })).every((o) => o.status === 200)).toBe(true);
    expect((await state(mock)).counters.served).toBe(5);
  });

  it('bounds the queue at queue.maxLength: beyond it 503, and memory stays bounded', async () => {
    const mock = await launch({ queue: { maxLength: 50 }, fleet: { workers: 1, serviceTime: '1h' } });
    const outcomes = await openLoop({ url: mock.url, rate: 2000, count: 300, seed: 2, timeoutMs: 1500, connections: 300 });
    // 1 in service, 50 queued, 249 told 503 at once (the others give up after 1.5 s).
    expect(count(outcomes, 503)).toBe(249);
    expect(outcomes.filter((o) => o.status === 503).every((o) => o.retryAfter === '1')).toBe(true);
    const s = await state(mock);
    expect(s.counters.queueFull).toBe(249);
    expect(s.queued).toBe(50);
  });
});
