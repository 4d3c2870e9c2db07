// A request mix (profile `request.mix`) through the built CLI against a loopback server this test starts:
// each class's requests carry its path, method and headers, are drawn with its share, and are reported
// (JSON, report, thresholds) on their own. What the requests carry is seen by the server, over HTTP; the
// bad-input case runs the CLI's code in this process (a spawned Node costs half a second).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/run-result.js';
import { runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { plainServer, recordingServer, type SeenRequest, type TestServer } from '../support/servers.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-mix-'));
let server: (TestServer & { seen: SeenRequest[] }) | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const PROFILE = `
name: mix
seed: 11
request:
  path: /default
  headers: { X-Team: load, X-Priority: low }
  mix:
    - { name: interactive, share: 0.25, headers: { x-priority: high } }
    - { name: batch, share: "75%", method: POST, path: /batch, body: "{}" }
phases:
  - { name: one, duration: 500ms, rate: 200/s }
  - { name: two, duration: 500ms, rate: 200/s }
`;

describe('ramp with a request mix', () => {
  it('sends each class as written, in its share, and reports every figure per class', async () => {
    // The batch class fails, everything else succeeds: the classes' outcomes must not mix.
    server = await recordingServer((url) => (url.startsWith('/api/batch') ? 500 : 200));
    const profile = join(dir, 'mix.yaml');
    writeFileSync(profile, PROFILE);
    const json = join(dir, 'mix.json');
    const res = await runCli([
      'ramp',
      profile,
      '--target',
      new URL('/api?key=k', server.url).href,
      '--json',
      json,
      '--threshold',
      '@interactive: success == 100%',
      '--threshold',
      'two@batch: success > 0.5',
    ]);
    expect(res.stderr).not.toMatch(/error/i);
    // The batch class fails everything: its threshold fails, the interactive one holds.
    expect(res.code).toBe(1);
    const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    expect(result.thresholds.map((t) => t.ok)).toEqual([true, false]);

    const seen = server.seen;
    expect(seen.length).toBe(result.total.offered);
    // Header names are case-insensitive: each request carries one x-priority (node would join two into
    // "low, high"), the class's value winning over the request's.
    const interactive = seen.filter((r) => r.headers['x-priority'] === 'high');
    const batch = seen.filter((r) => r.url === '/api/batch?key=k');
    expect(interactive.length + batch.length).toBe(seen.length);
    // Classes change only what they say; the request's own headers go with every class. Against a target
    // URL the request goes to its path and query, and a class path is taken under them.
    // The request's own path goes under the target URL's path, keeping its query (BASE_URL + path).
    for (const r of interactive) expect([r.method, r.url, r.headers['x-team']]).toEqual(['GET', '/api/default?key=k', 'load']);
    for (const r of batch) expect([r.method, r.body, r.headers['x-team'], r.headers['x-priority']]).toEqual(['POST', '{}', 'load', 'low']);
    expect(result.profile.mix!.map((c) => [c.name, c.share, c.path])).toEqual([
      ['interactive', 0.25, undefined],
      ['batch', 0.75, '/api/batch?key=k'],
    ]);
    // Evenly spaced arrivals get their classes evenly interleaved: exactly a quarter, ±1 per phase.
    expect(seen.length).toBe(200);
    expect(Math.abs(interactive.length - 50)).toBeLessThanOrEqual(2);

    for (const scope of [...result.phases, result.total]) {
      const [i, b] = scope.mix!;
      expect([i!.name, b!.name]).toEqual(['interactive', 'batch']);
      expect(i!.offered + b!.offered).toBe(scope.offered);
      expect(i!.ok).toBe(i!.offered);
      expect(b!.ok).toBe(0);
      expect(b!.statuses).toEqual({ '500': b!.offered });
      expect(i!.successRatio).toBe(1);
      expect(i!.latencyMs).not.toBeNull();
      expect(typeof b!.histograms.latency).toBe('string');
    }
    expect(result.total.mix![0]!.offered).toBe(interactive.length);

    expect(res.stdout).toContain('request mix');
    expect(res.stdout).toMatch(/total · interactive +\d+/);
    expect(res.stdout).toMatch(/two · batch +\d+/);
  });

  it('the same seed draws the same classes in the same order', async () => {
    server = await recordingServer();
    const profile = join(dir, 'mix-seed.yaml');
    writeFileSync(profile, PROFILE);
    await runCli(['ramp', profile, '--target', server.url, '--phase', 'a:500ms:100', '-c', '1', '--quiet']);
    const first = server.seen.map((r) => r.method).join('');
    server.seen.length = 0;
    await runCli(['ramp', profile, '--target', server.url, '--phase', 'a:500ms:100', '-c', '1', '--quiet']);
    // On one connection the server sees the requests in the order they were sent (over several, a request
    // whose connection is slower to open could overtake the one before it).
    expect(server.seen.map((r) => r.method).join('')).toBe(first);
    expect(first).toMatch(/GET/);
    expect(first).toMatch(/POST/);
  });

  it('-H, -m and --body win over what the classes say', async () => {
    server = await recordingServer();
    const profile = join(dir, 'mix-override.yaml');
    writeFileSync(profile, PROFILE);
    const res = await runCli([
      'ramp',
      profile,
      '--target',
      server.url,
      '--phase',
      'a:500ms:40',
      '-H',
      'X-PRIORITY: urgent',
      '-m',
      'PUT',
      '--body',
      'b',
      '--quiet',
    ]);
    expect(res.code).toBe(0);
    expect(server.seen.length).toBe(20);
    for (const r of server.seen) expect([r.method, r.headers['x-priority'], r.body]).toEqual(['PUT', 'urgent', 'b']);
  });

  it("closed-model users draw classes too; the users are the phase's, not the classes'", async () => {
    server = await recordingServer();
    const profile = join(dir, 'mix-vus.yaml');
    writeFileSync(profile, PROFILE);
    const json = join(dir, 'mix-vus.json');
    const res = await runCli(['ramp', profile, '--target', server.url, '--phase', 'soak:1s:vus=4', '--json', json, '--no-progress']);
    expect(res.code).toBe(0);
    const soak = (JSON.parse(readFileSync(json, 'utf8')) as RunResult).phases[0]!;
    const [i, b] = soak.mix!;
    expect(i!.offered).toBeGreaterThan(0);
    expect(b!.offered).toBeGreaterThan(i!.offered);
    expect(i!.offered + b!.offered).toBe(soak.offered);
    expect(soak.vus).toBe(4);
    expect(i!.vus).toBeUndefined();
    expect(res.stdout).toContain('soak (4 vus) · interactive');
  });

  it('arrivals dropped by --max-in-flight are counted in their class', async () => {
    const slow = await plainServer(300);
    server = { ...slow, seen: [] };
    const profile = join(dir, 'mix-drops.yaml');
    writeFileSync(profile, PROFILE);
    const json = join(dir, 'mix-drops.json');
    expect((await runCli(['ramp', profile, '--target', slow.url, '--phase', 'a:500ms:200', '--max-in-flight', '4', '--json', json, '--quiet'])).code).toBe(0);
    const a = (JSON.parse(readFileSync(json, 'utf8')) as RunResult).phases[0]!;
    expect(a.dropped).toBeGreaterThan(50);
    expect(a.mix!.map((c) => c.dropped).reduce((x, y) => x + y)).toBe(a.dropped);
    for (const c of a.mix!) expect(c.dropped).toBeGreaterThan(0);
  });

  it('Ctrl-C: requests still out are unfinished in their class too', async () => {
    const held = await plainServer(20_000);
    server = { ...held, seen: [] };
    const profile = join(dir, 'mix-interrupt.yaml');
    writeFileSync(profile, PROFILE);
    const json = join(dir, 'mix-interrupt.json');
    const res = await runCli(['ramp', profile, '--target', held.url, '--phase', 'long:30s:100', '--json', json, '--quiet'], {
      signal: { name: 'SIGINT', afterMs: 500, when: () => held.requests() > 0 },
    });
    expect(res.code).toBe(130);
    const long = (JSON.parse(readFileSync(json, 'utf8')) as RunResult).phases[0]!;
    expect(long.unfinished).toBeGreaterThan(20);
    expect(long.mix!.map((c) => c.unfinished).reduce((x, y) => x + y)).toBe(long.unfinished);
    for (const c of long.mix!) expect(c.unfinished).toBeGreaterThan(0);
  });

  it('a threshold on a class the profile does not have is bad input (exit 2)', async () => {
    server = await recordingServer();
    const profile = join(dir, 'mix-bad.yaml');
    writeFileSync(profile, PROFILE);
    const res = await runCliInProcess(['ramp', profile, '--target', server.url, '--threshold', '@nope: success > 0.5']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/no class "nope" in this run: expected one of interactive, batch/);
    expect(server.seen.length).toBe(0);
  });
});
