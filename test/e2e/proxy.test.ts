// The proxy through the real CLI: `incident-load proxy` with `incident-load fault`, and `ramp --via-proxy`
// (or a profile's `target: {url, proxy: true}`) against a loopback upstream this test starts: the faults
// applied at their times, their effect in the result, the proxy's state in the timeline, the proxy
// stopped at the end and on Ctrl-C, and bad input refused before anything runs.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/run-result.js';
import { proxyAddedByPhase } from '../../src/report/text/proxy-added.js';
import { proxyStarted, runCli, startProxyCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { plainServer, type TestServer } from '../support/servers.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-proxy-e2e-'));
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Processes running the proxy's entry for this upstream port (its argv carries the upstream URL). */
function proxiesFor(port: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
        return cmd.includes('dist/proxy/main.js') && cmd.includes(`:${port}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function gone(port: number): Promise<boolean> {
  for (let i = 0; i < 50 && proxiesFor(port).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  return proxiesFor(port).length === 0;
}

describe('incident-load proxy and incident-load fault', () => {
  it('forwards, takes faults from the fault command (token file found), refuses a mock fault, and stops on Ctrl-C', async () => {
    server = await plainServer();
    const proxy = await startProxyCli(['--upstream', server.url]);
    try {
      expect(proxy.stdout()).toMatch(/^traffic {2}http:\/\/127\.0\.0\.1:\d+\ncontrol {2}http:\/\/127\.0\.0\.1:\d+\ntoken {4}\S+control-\d+\.token\n/);
      const direct = await fetch(proxy.url);
      expect(direct.status).toBe(200);
      expect(direct.headers.get('via')).toBe('1.1 incident-load');

      const applied = await runCli(['fault', 'error-rate', 'rate=100%', 'status=503', 'retryAfter=3s', '--for', '1m', '--control', proxy.controlUrl]);
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);
      expect(applied.stdout).toMatch(/^fault 1 error-rate applied at [\d.]+m?s after the proxy started \(until [\dm.s]+\)\n$/);
      const failed = await fetch(proxy.url);
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).toBe('3');
      expect(failed.headers.get('x-incident-load-proxy')).toBe('error-rate');
      expect(proxy.stdout()).toMatch(/at [\d.]+m?s +fault 1 error-rate rate=100% status=503 retryAfter=3s for=1m applied/);

      const refused = await runCliInProcess(['fault', 'shrink-fleet', 'workers=1', '--control', proxy.controlUrl]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^incident-load: the proxy refused the fault: shrink-fleet is a fault of the bundled mock/);
    } finally {
      const stopped = await proxy.stop();
      expect(stopped.code).toBe(130);
      expect(existsSync(proxy.tokenFile)).toBe(false);
    }
    // Two CLI processes one after another (the second fault runs in this process): room for slow starts.
  }, 60_000);

  it('refuses a bad --upstream before listening', async () => {
    const res = await runCliInProcess(['proxy', '--upstream', 'ftp://x']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^incident-load: --upstream: expected an http or https URL/);
  });
});

describe('ramp through the proxy', () => {
  it('a profile with target {url, proxy: true}: its faults at their times, their effect measured, the added latency reported', async () => {
    server = await plainServer();
    const profile = join(dir, 'via-proxy.yaml');
    writeFileSync(
      profile,
      `name: via-proxy
seed: 5
target: { url: "${server.url}", proxy: true }
phases:
  - calm:2s:100
  - hurt:2s:100
faults:
  - { at: 2s, fault: error-rate, rate: 30%, status: 503 }
  - { at: 2s, fault: add-latency, latency: 50ms }
`,
    );
    const json = join(dir, 'via-proxy.json');
    const res = await runCli(['ramp', profile, '--json', json, '--no-progress'], { timeoutMs: 30_000 });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`target  ${server.url.replace(/[/.]/g, '\\$&')} through the proxy at http://127\\.0\\.0\\.1:\\d+ \\(--via-proxy\\)`));
    expect(res.stdout).toMatch(/\nproxy \(the proxy at http:\/\/127\.0\.0\.1:\d+: latency its faults added/);
    expect(res.stdout).toMatch(/\nupstream /);
    expect(res.stdout).toMatch(/\nadded {4}/);
    const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    expect(result.profile.proxy).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(result.faults.map((f) => [f.fault, f.error])).toEqual([
      ['error-rate', undefined],
      ['add-latency', undefined],
    ]);
    const [calm, hurt] = result.phases;
    expect(calm!.statuses).toEqual({ '200': calm!.offered });
    // Binomial(200, 0.3): 60 ± 26 (4 sd) injected 503s in the second phase.
    const errors = hurt!.statuses['503'] ?? 0;
    expect(Math.abs(errors - 0.3 * hurt!.offered)).toBeLessThanOrEqual(4 * Math.sqrt(hurt!.offered * 0.3 * 0.7));
    expect(errors + (hurt!.statuses['200'] ?? 0)).toBe(hurt!.offered);
    // Every request the proxy did not fail was held 50 ms (but for the one or two sent in the moment before
    // the faults were posted at 2s): the median success took at least that (timers never fire early).
    expect(hurt!.okLatencyMs!.p50).toBeGreaterThanOrEqual(49);
    expect(server.requests()).toBe(result.total.offered - errors);
    // The proxy's own record: nothing added in the calm, exactly 50 ms to each delayed request after.
    const added = proxyAddedByPhase(result.timeline, result.phases);
    expect(added[0]).toMatchObject({ phase: 'calm', delayed: 0, addedMs: 0 });
    expect(added[1]!.delayed).toBeLessThanOrEqual(hurt!.offered - errors);
    expect(added[1]!.delayed).toBeGreaterThanOrEqual(hurt!.offered - errors - 5);
    expect(added[1]!.addedMs / added[1]!.delayed).toBeCloseTo(50, 0);
    expect(result.timeline.filter((w) => w.proxy).length).toBeGreaterThan(result.timeline.length / 2);
    expect(await gone(server.port)).toBe(true);
  });

  it('--via-proxy with --fault, interrupted: exit 130, what was measured saved, the proxy stopped', async () => {
    server = await plainServer();
    const json = join(dir, 'interrupted.json');
    const res = await runCli(
      ['ramp', '--target', server.url, '--via-proxy', '--phase', 'long:20s:50', '--fault', '1s:add-latency:latency=20ms', '--json', json, '--no-progress'],
      { signal: { name: 'SIGINT', afterMs: 2500, when: proxyStarted }, timeoutMs: 30_000 },
    );
    expect(res.code).toBe(130);
    const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    expect(result.interrupted).toBe(true);
    expect(result.total.ok).toBeGreaterThan(0);
    expect(await gone(server.port)).toBe(true);
  });

  it.each([
    [['--target', 'URL', '--phase', 'x:2s:10', '--fault', '1s:error-rate:rate=10%'], /--fault needs the bundled mock .*--via-proxy/],
    [['--via-proxy', '--phase', 'x:2s:10'], /--via-proxy puts the proxy in front of a real service: give its URL with --target/],
    [
      ['--target', 'URL', '--via-proxy', '--phase', 'x:2s:10', '--fault', '1s:shrink-fleet:workers=1'],
      /--fault shrink-fleet: shrink-fleet is a fault of the bundled mock/,
    ],
    [
      ['--target', 'URL', '--via-proxy', '--phase', 'x:2s:10', '--fault', '1s:add-latency:latency=2h'],
      /add-latency: latency: expected a duration of at most 1h/,
    ],
    [['--target', 'URL', '--via-proxy', '--phase', 'x:2s:10', '--speed', '10'], /--speed 10 compresses incident time/],
    [['--target', 'URL', '--via-proxy', '--control', 'http://127.0.0.1:9', '--phase', 'x:2s:10'], /--via-proxy and --control both say who applies the faults/],
    [['--phase', 'x:2s:10', '--fault', '1s:reset:share=10%'], /--fault reset: a fault of the proxy, .* --via-proxy/],
  ])('ramp %j is refused before anything runs', async (args, message) => {
    server = await plainServer();
    // The CLI's code in this process: a spawned Node would cost half a second per case.
    const res = await runCliInProcess(['ramp', ...args.map((a) => (a === 'URL' ? server!.url : a))]);
    expect(res.stderr).toMatch(message);
    expect(res.code).toBe(2);
    expect(server.requests()).toBe(0);
  });

  it('validate names the line of a mock-only fault in a proxy profile', async () => {
    const profile = join(dir, 'bad-proxy.yaml');
    writeFileSync(
      profile,
      'target: { url: "http://127.0.0.1:9/", proxy: true }\nphases: [x:2s:10]\nfaults:\n  - { at: 1s, fault: kill-routers, count: all }\n',
    );
    const res = await runCliInProcess(['validate', profile]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/bad-proxy\.yaml:4 faults\[0\]\.fault: kill-routers is a fault of the bundled mock/);
  });
});
