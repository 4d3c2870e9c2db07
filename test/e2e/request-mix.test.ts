// A request mix (profile `request.mix`) through the built CLI against a loopback server this test starts:
// each class's requests carry its path, method and headers, are drawn with its share, and are reported
// (JSON, report, thresholds) on their own.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/report/result.js';
import { runCli } from '../support/cli.js';
import { recordingServer, type SeenRequest, type TestServer } from '../support/servers.js';

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
  headers: { x-team: load }
  mix:
    - { name: interactive, share: 0.25, headers: { x-priority: high } }
    - { name: batch, share: "75%", method: POST, path: /batch, body: "{}" }
phases:
  - { name: one, duration: 1s, rate: 200/s }
  - { name: two, duration: 1s, rate: 200/s }
`;

describe('ramp with a request mix', () => {
  it('sends each class as written, in its share, and reports every figure per class', async () => {
    // /batch fails, everything else succeeds: the classes' outcomes must not mix.
    server = await recordingServer((url) => (url === '/batch' ? 500 : 200));
    const profile = join(dir, 'mix.yaml');
    writeFileSync(profile, PROFILE);
    const json = join(dir, 'mix.json');
    const res = await runCli(['ramp', profile, '--target', new URL('/ignored', server.url).href, '--json', json, '--threshold', '@interactive: success == 1', '--threshold', 'two@batch: success > 0.5']);
    expect(res.stderr).not.toMatch(/error/i);
    // The batch class fails everything: its threshold fails, the interactive one holds.
    expect(res.code).toBe(1);
    const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    expect(result.thresholds.map((t) => t.ok)).toEqual([true, false]);

    const seen = server.seen;
    expect(seen.length).toBe(result.total.offered);
    const interactive = seen.filter((r) => r.headers['x-priority'] === 'high');
    const batch = seen.filter((r) => r.url === '/batch');
    expect(interactive.length + batch.length).toBe(seen.length);
    // Classes change only what they say; the request's own headers go with every class.
    for (const r of interactive) expect([r.method, r.url, r.headers['x-team']]).toEqual(['GET', '/ignored', 'load']);
    for (const r of batch) expect([r.method, r.body, r.headers['x-team'], r.headers['x-priority']]).toEqual(['POST', '{}', 'load', undefined]);
    // 400 draws with p = 0.25: sd = sqrt(400 × 0.25 × 0.75) ≈ 8.7; ±40 is over 4.5 sd.
    expect(Math.abs(interactive.length - 100)).toBeLessThan(40);

    for (const scope of [...result.phases, result.total]) {
      const [i, b] = scope.mix!;
      expect([i!.name, b!.name]).toEqual(['interactive', 'batch']);
      expect(i!.offered + b!.offered).toBe(scope.offered);
      expect(i!.ok).toBe(i!.offered);
      expect(b!.ok).toBe(0);
      expect(b!.statuses).toEqual({ '500': b!.offered });
      expect(i!.successRatio).toBe(1);
      expect(i!.latencyMs).not.toBeNull();
      expect(typeof b!.histogram).toBe('string');
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
    await runCli(['ramp', profile, '--target', server.url, '--phase', 'a:500ms:100', '--quiet']);
    const first = server.seen.map((r) => r.method).join('');
    server.seen.length = 0;
    await runCli(['ramp', profile, '--target', server.url, '--phase', 'a:500ms:100', '--quiet']);
    // Uniform arrivals 10 ms apart on one loopback server arrive in send order.
    expect(server.seen.map((r) => r.method).join('')).toBe(first);
    expect(first).toMatch(/GET/);
    expect(first).toMatch(/POST/);
  });

  it('a threshold on a class the profile does not have is bad input (exit 2)', async () => {
    server = await recordingServer();
    const profile = join(dir, 'mix-bad.yaml');
    writeFileSync(profile, PROFILE);
    const res = await runCli(['ramp', profile, '--target', server.url, '--threshold', '@nope: success > 0.5']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/no class "nope" in this run: expected one of interactive, batch/);
    expect(server.seen.length).toBe(0);
  });
});
