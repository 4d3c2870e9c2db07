// Who may use the control API: a web page (CSRF, DNS rebinding) and anyone without the mock's token are
// refused, and nothing changes; the mock's own client, with its token, gets through.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMockConfig } from '../../src/mock/config/index.js';
import { startMock, type RunningMock } from '../../src/mock/launch.js';
import { control, state } from './support/clients.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { error?: string } & Record<string, unknown>;
}

/** One request with exactly these headers (node:http lets a test set Host and Origin as a browser would). */
function request(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port: Number(port), method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) as Answer['body'] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('control API: who may ask', () => {
  let shared: RunningMock | undefined;
  afterAll(() => shared?.stop());
  async function mock(): Promise<RunningMock> {
    shared ??= await startMock({ config: defaultMockConfig() });
    return shared;
  }
  const port = (m: RunningMock): string => new URL(m.controlUrl).port;
  const auth = (m: RunningMock): Record<string, string> => ({ authorization: `Bearer ${m.token}` });
  const fault = JSON.stringify({ fault: 'shrink-fleet', workers: 0 });

  async function unchanged(m: RunningMock): Promise<void> {
    const s = await state(m);
    expect(s.faults).toEqual([]);
    expect(s.workers).toBe(4);
  }

  it('refuses a CSRF-style POST (text/plain or a form, as a page sends without a preflight) with 415', async () => {
    const m = await mock();
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await request(m.controlUrl, 'POST', '/faults', { ...auth(m), 'content-type': type }, fault);
      expect(res.status).toBe(415);
      expect(res.body.error).toBe(`POST needs Content-Type: application/json, got ${JSON.stringify(type)}`);
    }
    const noType = await request(m.controlUrl, 'POST', '/reset', auth(m));
    expect(noType.status).toBe(415);
    expect((await request(m.controlUrl, 'DELETE', '/faults/1', { ...auth(m), 'content-type': 'text/plain' })).status).toBe(415);
    await unchanged(m);
  });

  it('refuses a foreign Origin with 403, even with the token, and takes a loopback one', async () => {
    const m = await mock();
    for (const origin of ['http://evil.example', 'null', 'https://127.0.0.1.evil.example', 'file://']) {
      const res = await request(m.controlUrl, 'POST', '/faults', { ...auth(m), 'content-type': 'application/json', origin }, fault);
      expect(res.status).toBe(403);
      expect(res.body.error).toMatch(/^the control API refuses requests from web pages: Origin ".*" is not a loopback origin$/);
    }
    await unchanged(m);
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1', 'http://[::1]:8080']) {
      expect((await request(m.controlUrl, 'GET', '/state', { ...auth(m), origin })).status).toBe(200);
    }
  });

  it('refuses a Host that is not loopback with 403 (DNS rebinding), and takes 127.0.0.1, localhost and [::1]', async () => {
    const m = await mock();
    for (const host of ['evil.example', `evil.example:${port(m)}`, '127.0.0.2', `127.0.0.1:${Number(port(m)) + 1}`, 'localhost.evil.example']) {
      const res = await request(m.controlUrl, 'GET', '/state', { ...auth(m), host });
      expect(res.status).toBe(403);
      expect(res.body.error).toContain(`Host was ${JSON.stringify(host)}`);
      expect(res.body).not.toHaveProperty('queued');
    }
    for (const host of ['127.0.0.1', `127.0.0.1:${port(m)}`, `localhost:${port(m)}`, 'LOCALHOST', `[::1]:${port(m)}`, '[::1]']) {
      expect((await request(m.controlUrl, 'GET', '/state', { ...auth(m), host })).status).toBe(200);
    }
  });

  it('answers 401 without the token or with a wrong one, on every endpoint, and the right token works', async () => {
    const m = await mock();
    const wrong: Record<string, string>[] = [
      {},
      { authorization: 'Bearer ' },
      { authorization: `Bearer ${m.token}x` },
      { authorization: `Bearer ${m.token.slice(1)}` },
      { authorization: `Basic ${m.token}` },
      { authorization: m.token },
    ];
    for (const headers of wrong) {
      for (const [method, path] of [
        ['GET', '/state'],
        ['GET', '/faults'],
        ['POST', '/faults'],
        ['POST', '/reset'],
        ['DELETE', '/faults/1'],
      ] as const) {
        const res = await request(m.controlUrl, method, path, { ...headers, 'content-type': 'application/json' }, method === 'POST' ? fault : undefined);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="incident-load mock"');
        expect(res.body.error).toMatch(/^missing or wrong token/);
      }
    }
    await unchanged(m);
    const created = await control(m, 'POST', '/faults', { fault: 'shrink-fleet', workers: 2 });
    expect(created.status).toBe(201);
    expect((await state(m)).workers).toBe(2);
    expect((await control(m, 'POST', '/reset')).status).toBe(200);
  });

  it('marks every answer as the control API, refusals included', async () => {
    const m = await mock();
    expect((await request(m.controlUrl, 'GET', '/state', auth(m))).headers['incident-load-control']).toBe('1');
    expect((await request(m.controlUrl, 'GET', '/state', {})).headers['incident-load-control']).toBe('1');
    expect((await request(m.controlUrl, 'GET', '/nope', auth(m))).headers['incident-load-control']).toBe('1');
  });

  it('keeps the token out of the child’s argv (world-readable in /proc), and takes one it is given', async () => {
    const m = await mock();
    expect(m.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cmdline = readFileSync(`/proc/${m.pid}/cmdline`, 'utf8');
    expect(cmdline).toContain('mock/main.js');
    expect(cmdline).not.toContain(m.token);

    const given = 'orchestrated-token-0123456789';
    const other = await startMock({ config: defaultMockConfig(), token: given });
    try {
      expect(other.token).toBe(given);
      expect(readFileSync(`/proc/${other.pid}/cmdline`, 'utf8')).not.toContain(given);
      expect((await control(other, 'GET', '/state')).status).toBe(200);
      expect((await control({ controlUrl: other.controlUrl, token: m.token }, 'GET', '/state')).status).toBe(401);
    } finally {
      await other.stop();
    }
    await expect(startMock({ config: defaultMockConfig(), token: 'short' })).rejects.toThrow(/at least 16 characters/);
  });
});
