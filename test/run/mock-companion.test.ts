// The mock's companion on its own clock: faults at their incident times, a sample at the end of each
// window, one sample at a time however slow the mock is, and nothing that waits for it for long.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Timebase } from '../../src/core/timebase.js';
import { MockCompanion } from '../../src/run/mock-companion.js';
import { CONTROL_API_HEADER } from '../../src/mock/control-api.js';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A control API that answers /state (unless `silent`) and records what it was asked, with the incident time. */
async function controlApi(silent: boolean): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    if (silent) return;
    const body = req.url === '/state' ? { t: 0, queued: 1, busy: 2, workers: 3, routersReady: null } : { id: seen.length, at: 0, fault: 'x', params: {} };
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', [CONTROL_API_HEADER]: '1' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('MockCompanion', () => {
  it('samples the state at the end of each window and applies faults at their incident times', async () => {
    const api = await controlApi(false);
    const companion = new MockCompanion(api.url, 'a-token-of-enough-length', [{ at: 100, fault: 'shrink-fleet', params: { workers: 1 } }]);
    companion.start(new Timebase(performance.now(), 1), 50, 300);
    await wait(450);
    companion.stop();
    await companion.settled(1_000);
    expect(api.seen.filter((s) => s === 'POST /faults')).toHaveLength(1);
    expect(companion.faults()).toEqual([{ at: 100, fault: 'shrink-fleet', params: { workers: 1 } }]);
    // Six windows of 50 ms; on a busy machine a sample can be skipped, never doubled.
    expect(companion.samples().size).toBeGreaterThan(0);
    expect(companion.samples().size).toBeLessThanOrEqual(6);
    for (const sample of companion.samples().values()) expect(sample).toEqual({ mock: { queued: 1, busy: 2, workers: 3, routersReady: null } });
    await companion.close();
  });

  it('keeps one sample in flight, and waits for a mock that never answers only as long as it is told', async () => {
    const api = await controlApi(true);
    const companion = new MockCompanion(api.url, 'a-token-of-enough-length', []);
    companion.start(new Timebase(performance.now(), 1), 20, 400);
    await wait(400);
    companion.stop();
    // Twenty windows closed while the first sample was pending: none queued behind it.
    expect(api.seen).toEqual(['GET /state']);
    // Told to wait 100 ms, it is done long before a mock's own 15 s bound (a hundred times the slack).
    expect(await Promise.race([companion.settled(100).then(() => 'settled'), wait(10_000).then(() => 'still waiting')])).toBe('settled');
    expect(companion.samples().size).toBe(0);
    await companion.close();
  });
});
