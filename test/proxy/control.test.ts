// The proxy's control API is the mock's (src/mock/control.ts over the proxy's state and faults): the same
// endpoints, the same 400s for bad input that change nothing, the same guard — loopback only, a loopback
// Host, no foreign Origin, the token, JSON for writes — and it says it is the proxy's.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, startUpstream, type TestProxy, type Upstream } from './support.js';

let upstream: Upstream;
let proxy: TestProxy;
beforeAll(async () => {
  upstream = await startUpstream();
  proxy = await startTestProxy(upstream.url);
});
afterAll(async () => {
  await proxy.close();
  await upstream.close();
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown> & { error?: string };
}

/** One request with exactly these headers (node:http lets a test set Host and Origin as a browser would). */
function control(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  const { hostname, port } = new URL(proxy.controlUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port: Number(port), method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) as Reply['body'] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const auth = (): Record<string, string> => ({ authorization: `Bearer ${proxy.token}` });
const json = (): Record<string, string> => ({ ...auth(), 'content-type': 'application/json' });

describe('the proxy’s control API', () => {
  it('GET /state: the counters and gauges ramp samples, and who answers', async () => {
    const res = await control('GET', '/state', auth());
    expect(res.status).toBe(200);
    expect(res.headers['incident-load-control']).toBe('1');
    expect(res.headers['incident-load-program']).toBe('proxy');
    expect(res.body).toMatchObject({ speed: 1, upstream: upstream.url, inFlight: 0, queued: 0, held: 0, active: 0, addedMs: 0, faults: [] });
  });

  it.each([
    ['bad JSON', '{"fault": ', /^bad JSON/],
    ['not an object', '[1, 2]', /^expected a JSON object/],
    ['no name', '{"latency": "1s"}', /^"fault" must name a fault/],
    ['an unknown fault', '{"fault": "melt-datacenter"}', /^unknown fault "melt-datacenter" \(the proxy's faults: add-latency, .*blackhole\)$/],
    [
      'a mock-only fault',
      '{"fault": "shrink-fleet", "workers": 1}',
      /^shrink-fleet is a fault of the bundled mock: it acts on the mock's simulated worker fleet/,
    ],
    ['set, the mock’s settings', '{"fault": "set", "fleet.workers": 1}', /^set is a fault of the bundled mock/],
    ['an unknown param', '{"fault": "add-latency", "latency": "1s", "color": "red"}', /^add-latency: .*color/],
    ['a latency over an hour', '{"fault": "add-latency", "latency": "2h"}', /^add-latency: latency: expected a duration of at most 1h, got "2h"$/],
    ['a share over 100%', '{"fault": "error-rate", "rate": "150%"}', /^error-rate: rate: expected a share from 0 to 1/],
    ['a status out of range', '{"fault": "error-rate", "rate": 0.1, "status": 200}', /^error-rate: status: expected a whole number from 400 to 599/],
    ['a negative cap', '{"fault": "cap-connections", "connections": -1}', /^cap-connections: connections: expected a whole number from 0/],
    ['a zero rate', '{"fault": "rate-limit", "rate": "0/s"}', /^rate-limit: rate: expected a rate above zero/],
    ['a bandwidth of nothing', '{"fault": "bandwidth", "rate": "0"}', /^bandwidth: rate: expected a rate of bytes/],
    ['a bad direction', '{"fault": "add-latency", "latency": "1s", "direction": "sideways"}', /^add-latency: direction: /],
    ['a bad for', '{"fault": "reset", "for": "forever"}', /^reset: for: /],
  ])('POST /faults with %s: 400, and nothing changes', async (_what, body, message) => {
    const res = await control('POST', '/faults', json(), body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
    expect((await control('GET', '/faults', auth())).body).toEqual([]);
    expect(proxy.proxy.effects.any).toBe(false);
  });

  it('DELETE /faults/:id: 404 for no such fault, 409 once reverted, 400 for a bad id', async () => {
    expect((await control('DELETE', '/faults/99', json())).status).toBe(404);
    expect((await control('DELETE', '/faults/abc', json())).status).toBe(400);
    const created = await control('POST', '/faults', json(), '{"fault": "add-latency", "latency": "1ms"}');
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect((await control('DELETE', `/faults/${id}`, json())).status).toBe(200);
    expect((await control('DELETE', `/faults/${id}`, json())).status).toBe(409);
    expect(proxy.proxy.effects.any).toBe(false);
    expect((await control('POST', '/reset', json())).status).toBe(404);
  });

  it.each([
    ['no token', {}, 401, /missing or wrong token.*this proxy's token \(incident-load proxy writes it/],
    ['a wrong token', { authorization: 'Bearer wrong-token-wrong-token' }, 401, /missing or wrong token/],
    ['a web page’s Origin', { origin: 'https://evil.example' }, 403, /refuses requests from web pages/],
    ['a rebound Host', { host: 'evil.example' }, 403, /Host was "evil.example"/],
    ['a form’s Content-Type', { 'content-type': 'application/x-www-form-urlencoded' }, 415, /needs Content-Type: application\/json/],
    ['text/plain', { 'content-type': 'text/plain' }, 415, /needs Content-Type: application\/json/],
  ])('a write with %s is refused (%i), and nothing changes', async (_what, headers, status, message) => {
    const base = 'authorization' in headers || status === 401 ? { 'content-type': 'application/json' } : json();
    const res = await control('POST', '/faults', { ...base, ...(headers as Record<string, string>) }, '{"fault": "blackhole"}');
    expect(res.status).toBe(status);
    expect(res.body.error).toMatch(message);
    expect(proxy.proxy.effects.any).toBe(false);
    if (status === 401) expect(res.headers['www-authenticate']).toBe('Bearer realm="incident-load proxy"');
  });

  it('listens on loopback only, even when the traffic port is given another address', async () => {
    const open = await startTestProxy(upstream.url, { host: '0.0.0.0' });
    try {
      expect(new URL(open.controlUrl).hostname).toBe('127.0.0.1');
      expect(new URL(open.url).hostname).toBe('0.0.0.0');
    } finally {
      await open.close();
    }
  });
});
