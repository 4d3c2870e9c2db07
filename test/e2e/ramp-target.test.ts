// `incident-load ramp --target` through the built CLI against loopback servers this test starts.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/run-result.js';
import { spawn } from 'node:child_process';
import { BIN, runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import {
  garbageServer,
  plainServer,
  recordingServer,
  refusedPort,
  resettingServer,
  retryAfterServer,
  stallingServer,
  type TestServer,
} from '../support/servers.js';
import { writeFileSync } from 'node:fs';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-e2e-'));
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function readResult(file: string): RunResult {
  return JSON.parse(readFileSync(file, 'utf8')) as RunResult;
}

describe('ramp against a target URL', () => {
  it('a plain server: every arrival sent and answered, success 1.0, the JSON schema filled in', async () => {
    server = await plainServer();
    const json = join(dir, 'plain.json');
    const res = await runCli(['ramp', '--target', server.url, '--phase', 'warm:1s:100', '--phase', 'ramp:2s:100..300', '--json', json]);
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.code).toBe(0);
    const result = readResult(json);
    expect(result.schema).toBe('incident-load/result@2');
    expect(result.tool.name).toBe('incident-load');
    expect(result.profile).toMatchObject({ speed: 1, target: server.url });
    expect(result.phases.map((p) => p.name)).toEqual(['warm', 'ramp']);
    // Exact area: 100 + (100 + 300) / 2 × 2 = 500 arrivals, ±1 per phase.
    expect(Math.abs(result.phases[0]!.offered - 100)).toBeLessThanOrEqual(1);
    expect(Math.abs(result.phases[1]!.offered - 400)).toBeLessThanOrEqual(1);
    expect(server.requests()).toBe(result.total.offered);
    for (const p of [...result.phases, result.total]) {
      expect(p.successRatio).toBe(1);
      expect(p.ok).toBe(p.offered);
      expect(p.statuses).toEqual({ '200': p.offered });
      expect(p.errors).toEqual({});
      expect(p.attempts).toBe(p.offered);
      expect(p.latencyMs!.p50).toBeGreaterThan(0);
      expect(typeof p.histograms.latency).toBe('string');
      expect(typeof p.histograms.ok).toBe('string');
      expect(p.rps.offered).toBeGreaterThan(0);
    }
    expect(result.timeline.length).toBeGreaterThanOrEqual(30);
    expect(result.timeline.reduce((s, w) => s + w.offered, 0)).toBe(result.total.offered);
    expect(result.thresholds).toEqual([]);
    expect(res.stdout).toContain('warm');
    expect(res.stdout).toContain('ramp');
  });

  it('a server that stalls its event loop for a second: the stall shows in p90 and p99 (no coordinated omission)', async () => {
    server = await stallingServer(1_000, 1_000);
    const json = join(dir, 'stall.json');
    const res = await runCli(['ramp', '--target', server.url, '--phase', 'steady:3s:200', '--json', json, '--quiet']);
    expect(res.code).toBe(0);
    const total = readResult(json).total;
    // Requests intended during the 1 s stall (a third of the 3 s run) wait until it ends, so their
    // latencies spread evenly over 0..1 s: P(latency > x) ≈ (1 s - x) / 3, giving p90 ≈ 700 ms and
    // p99 ≈ 970 ms. A tool that measured from the actual send would report p90 of a few ms.
    expect(total.latencyMs!.p99).toBeGreaterThan(800);
    expect(total.latencyMs!.p90).toBeGreaterThan(400);
    expect(total.latencyMs!.p50).toBeLessThan(100);
    expect(total.successRatio).toBe(1);
  });

  it('a refused port: every request is ECONNREFUSED, and that is a result (exit 0)', async () => {
    const port = await refusedPort();
    const json = join(dir, 'refused.json');
    const res = await runCli(['ramp', '--target', `http://127.0.0.1:${port}/`, '--phase', 'a:1s:50', '--json', json]);
    expect(res.code).toBe(0);
    const total = readResult(json).total;
    expect(total.ok).toBe(0);
    expect(total.errors).toEqual({ ECONNREFUSED: total.offered });
    expect(total.offered).toBe(50);
    expect(res.stdout).toContain('ECONNREFUSED');
  });

  it('a server that resets connections: counted as ECONNRESET', async () => {
    server = await resettingServer();
    const json = join(dir, 'reset.json');
    const res = await runCli(['ramp', '--target', server.url, '--phase', 'a:1s:50', '--json', json, '--quiet']);
    expect(res.code).toBe(0);
    const total = readResult(json).total;
    expect(total.ok).toBe(0);
    expect(total.errors.ECONNRESET).toBe(total.offered);
  });

  it('a server answering garbage: counted as bad-response (or the parser error code), never a crash', async () => {
    server = await garbageServer();
    const json = join(dir, 'garbage.json');
    const res = await runCli(['ramp', '--target', server.url, '--phase', 'a:1s:50', '--json', json, '--quiet']);
    expect(res.code).toBe(0);
    const total = readResult(json).total;
    expect(total.ok).toBe(0);
    const kinds = Object.keys(total.errors);
    expect(kinds).toHaveLength(1);
    expect(kinds[0]).toMatch(/^(HPE_|bad-response)/);
  });

  it('a server slower than --timeout: every request times out, after the timeout and not much later', async () => {
    server = await plainServer(600);
    const json = join(dir, 'slow.json');
    const res = await runCli(['ramp', '--target', server.url, '--phase', 'a:1s:50', '--timeout', '150ms', '--json', json, '--quiet']);
    expect(res.code).toBe(0);
    const total = readResult(json).total;
    // Exactly the timeout, even when the loop checks deadlines late: an answer seen after the deadline
    // is a timeout, as it would be for a client whose timer fired first.
    expect(total.errors).toEqual({ timeout: 50 });
    expect(total.serviceMs!.min).toBeGreaterThanOrEqual(149.8); // HDR keeps 3 significant digits
    expect(total.serviceMs!.max).toBeLessThan(151);
    // Latency adds how late each request went out, which a busy machine can stretch.
    expect(total.latencyMs!.min).toBeGreaterThanOrEqual(149.8);
  });

  it('retries: attempts per request rise while the logical request count stays the offered count', async () => {
    const port = await refusedPort();
    const json = join(dir, 'retries.json');
    const res = await runCli([
      'ramp',
      '--target',
      `http://127.0.0.1:${port}/`,
      '--phase',
      'a:1s:20',
      '--retries',
      '2',
      '--backoff',
      'none',
      '--json',
      json,
      '--quiet',
    ]);
    expect(res.code).toBe(0);
    const total = readResult(json).total;
    expect(total.offered).toBe(20);
    expect(total.attempts).toBe(60);
    expect(total.retries).toBe(40);
    expect(total.errors).toEqual({ ECONNREFUSED: 20 });
  });

  it('sends the method, headers, body and path it is given', async () => {
    const recording = await recordingServer();
    server = recording;
    const bodyFile = join(dir, 'body.json');
    writeFileSync(bodyFile, '{"prompt":"a cat"}');
    const res = await runCli([
      'ramp',
      '--target',
      `${recording.url}v1/images?n=1`,
      '--phase',
      'a:500ms:10',
      '-m',
      'POST',
      '-H',
      'Authorization: Bearer t0ken',
      '-H',
      'content-type: application/json',
      '--body',
      `@${bodyFile}`,
      '--quiet',
    ]);
    expect(res.code).toBe(0);
    expect(recording.seen).toHaveLength(5);
    for (const seen of recording.seen) {
      expect(seen).toMatchObject({ method: 'POST', url: '/v1/images?n=1', body: '{"prompt":"a cat"}' });
      expect(seen.headers).toMatchObject({ authorization: 'Bearer t0ken', 'content-type': 'application/json' });
    }
  });

  it('--max-in-flight: arrivals over the cap are dropped and counted, and none is sent late', async () => {
    server = await plainServer(500);
    const json = join(dir, 'dropped.json');
    const res = await runCli(['ramp', '--target', server.url, '--phase', 'a:1s:50', '--max-in-flight', '5', '--json', json]);
    expect(res.code).toBe(0);
    const total = readResult(json).total;
    // 5 go out at once, answered 500 ms later; the next 5 then; the rest of the 50 find the cap full.
    expect(total.offered).toBe(50);
    expect(total.sent + total.dropped).toBe(50);
    expect(total.sent).toBeGreaterThanOrEqual(5);
    expect(total.sent).toBeLessThanOrEqual(15);
    expect(total.errors.dropped).toBe(total.dropped);
    expect(total.ok).toBe(total.sent);
    expect(total.successRatio).toBeCloseTo(total.sent / 50, 6);
    // What was sent went out on time: dropping is the alternative to sending late. An arrival queued for
    // a slot instead would have waited for an answer, 500 ms; a busy machine's scheduling delay is far less.
    expect(total.sendLagMs!.max).toBeLessThan(400);
    expect(res.stdout).toMatch(/dropped/);
  });

  it('honours Retry-After: a 429 saying "1" holds the retry back a second', async () => {
    server = await retryAfterServer(5, 1);
    const json = join(dir, 'retry-after.json');
    const res = await runCli(['ramp', '--target', server.url, '--phase', 'a:250ms:20', '--retries', '1', '--backoff', 'none', '--json', json, '--quiet']);
    expect(res.code).toBe(0);
    const total = readResult(json).total;
    expect(total.offered).toBe(5);
    expect(total.attempts).toBe(10);
    expect(total.ok).toBe(5);
    expect(total.latencyMs!.min).toBeGreaterThanOrEqual(999);
    // Without Retry-After, backoff "none" would have retried at once.
    const ignored = join(dir, 'retry-after-ignored.json');
    await server.close();
    server = await retryAfterServer(5, 1);
    const profile = join(dir, 'ignore-retry-after.yaml');
    writeFileSync(profile, 'phases: [ "a:250ms:20" ]\nclient: { retries: { max: 1, backoff: none, respectRetryAfter: false } }\n');
    expect((await runCli(['ramp', profile, '--target', server.url, '--json', ignored, '--quiet'])).code).toBe(0);
    expect(readResult(ignored).total.latencyMs!.max).toBeLessThan(500);
  });

  it('closed model: vus loop and the report says so', async () => {
    server = await plainServer(10);
    const json = join(dir, 'closed.json');
    const res = await runCli(['ramp', '--target', server.url, '--phase', 'loop:1s:vus=4', '--json', json]);
    expect(res.code).toBe(0);
    const phase = readResult(json).phases[0]!;
    expect(phase.model).toBe('closed');
    // 4 users, each ~10 ms per request plus overhead: far fewer than 400, far more than 4.
    expect(phase.ok).toBeGreaterThan(40);
    expect(phase.ok).toBeLessThanOrEqual(400);
    expect(phase.successRatio).toBe(1);
  });
});

describe('exit codes', () => {
  it('1 when a threshold fails, with the threshold in the JSON', async () => {
    const port = await refusedPort();
    const json = join(dir, 'fail.json');
    const res = await runCli(['ramp', '--target', `http://127.0.0.1:${port}/`, '--phase', 'a:500ms:20', '--threshold', 'success >= 99%', '--json', json]);
    expect(res.code).toBe(1);
    expect(readResult(json).thresholds).toEqual([{ expr: 'success >= 99%', ok: false, actual: 0 }]);
  });

  it('latency thresholds read successes: against a target that refuses every connection p99 has no data and fails, all.p99 measures the refusals', async () => {
    const port = await refusedPort();
    const json = join(dir, 'refused-latency.json');
    const res = await runCli([
      'ramp',
      '--target',
      `http://127.0.0.1:${port}/`,
      '--phase',
      'a:500ms:20',
      '--threshold',
      'p99 < 1h',
      '--threshold',
      'all.p99 < 1h',
      '--json',
      json,
    ]);
    expect(res.code).toBe(1);
    const [p99, all] = readResult(json).thresholds;
    // NaN (no data) is null in JSON.
    expect(p99).toEqual({ expr: 'p99 < 1h', ok: false, actual: null });
    expect(all).toMatchObject({ expr: 'all.p99 < 1h', ok: true });
    expect(all!.actual).toBeGreaterThan(0);
    expect(res.stdout).toMatch(/^FAIL p99 < 1h +actual no data$/m);
  });

  it('send lag: a column of the phase table ("-" for a closed-model phase) and lag.* thresholds, which have no data in a closed-model phase', async () => {
    server = await plainServer();
    const json = join(dir, 'lag.json');
    const res = await runCli([
      'ramp',
      '--target',
      server.url,
      '--phase',
      'open:500ms:50',
      '--phase',
      'soak:500ms:vus=2',
      '--threshold',
      'open: lag.p99 < 1h',
      '--threshold',
      'soak: lag.p99 < 1h',
      '--json',
      json,
      '--no-progress',
    ]);
    expect(res.code).toBe(1);
    const result = readResult(json);
    expect(result.phases[0]!.sendLagMs).not.toBeNull();
    expect(result.phases[1]!.sendLagMs).toBeNull();
    expect(result.thresholds.map((t) => [t.ok, t.actual === null])).toEqual([
      [true, false],
      [false, true],
    ]);
    const out = res.stdout.split('\n');
    expect(out.find((l) => l.startsWith('phases '))).toMatch(/^phases \(latencies of successes/);
    const heading = out.findIndex((l) => /^phase\s/.test(l));
    expect(`${out[heading]} ${out[heading + 1]}`).toMatch(/send lag .*p99$/);
    expect(out.find((l) => l.startsWith('soak (2 vus)'))).toMatch(/\s-$/);
    expect(out.find((l) => l.startsWith('open '))).toMatch(/\d(µs|ms)$/);
  });

  it('0 when every threshold holds, including a phase-scoped one', async () => {
    server = await plainServer();
    const res = await runCli([
      'ramp',
      '--target',
      server.url,
      '--phase',
      'a:500ms:50',
      '--threshold',
      'success >= 0.99',
      '--threshold',
      'a: p99 < 1s',
      '--quiet',
    ]);
    expect(res.code).toBe(0);
  });

  it.each([
    [['--phase', 'a:10s:fast'], /--phase a:10s:fast: rate: expected a rate/],
    [['--phase', 'a:0s:10'], /--phase a:0s:10: duration: expected a duration above zero/],
    [['--phase', 'a:10s:-5'], /--phase a:10s:-5: rate/],
    [['--target', 'not a url'], /--target: expected an absolute http\(s\) URL/],
    [['--target', 'ftp://127.0.0.1/'], /--target: .*scheme "ftp" is not supported/],
    [['--connections', '0'], /--connections: expected a whole number from 1 to 100000/],
    [['--timeout', 'soon'], /--timeout: expected a duration/],
    [['--backoff', 'sometimes'], /--backoff: expected none, exponential or full-jitter/],
    [['--threshold', 'p98 < 1s'], /unknown metric "p98"/],
    [['--threshold', 'nope: p99 < 1s'], /no phase "nope"/],
    [['--speed', '0'], /--speed: expected a number from 0.01 to 10000/],
    [['--json', '/nonexistent-dir/x.json'], /--json .*the directory \/nonexistent-dir does not exist/],
    [['no-such-profile'], /no bundled profile named "no-such-profile"/],
    [['--no-such-flag'], /unknown option/],
    [['--header', 'no-colon'], /--header: expected "name: value"/],
    [['--body', '@/nonexistent/body.json'], /--body @\/nonexistent\/body.json: cannot read/],
    [['--method', 'FETCH'], /--method: expected GET, HEAD, POST/],
  ])('2 for bad input %j, with a message naming it', async (args, message) => {
    // The CLI's code in this process: a spawned Node would cost half a second per case.
    const res = await runCliInProcess(['ramp', '--target', 'http://127.0.0.1:9/', '--phase', 'a:1s:1', ...(args as string[])]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message as RegExp);
    expect(res.stdout).toBe('');
  });

  it('2 for bad input through the built CLI too, a flag and an unknown option', async () => {
    for (const [args, message] of [
      [['--phase', 'a:10s:fast'], /--phase a:10s:fast: rate: expected a rate/],
      [['--no-such-flag'], /unknown option/],
    ] as const) {
      const res = await runCli(['ramp', '--target', 'http://127.0.0.1:9/', '--phase', 'a:1s:1', ...args]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(res.stdout).toBe('');
    }
  });

  it("--json - into a reader that stops early (| head): no EPIPE crash, the run's own exit code", async () => {
    server = await plainServer();
    // 80 short phases: a JSON document of about 360 KB, far more than the pipe holds.
    const phases = Array.from({ length: 80 }, (_, i) => `--phase p${i}:20ms:100`).join(' ');
    const command = `"${process.execPath}" "${BIN}" ramp --target ${server.url} ${phases} --json - --quiet | head -c 10 > /dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`;
    const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|unexpected error/);
    expect(stderr).toContain('exit=0');
  });

  it('130 on SIGINT, after printing the partial report and writing the JSON', async () => {
    server = await plainServer();
    const json = join(dir, 'interrupted.json');
    const res = await runCli(['ramp', '--target', server.url, '--phase', 'long:60s:100', '--json', json], {
      signal: { name: 'SIGINT', afterMs: 1_000, when: () => server!.requests() > 0 },
    });
    expect(res.code).toBe(130);
    expect(existsSync(json)).toBe(true);
    const result = readResult(json);
    expect(result.interrupted).toBe(true);
    // Interrupted ~1 s after the first request of a 60 s phase: the phase covers what ran.
    const phase = result.phases[0]!;
    expect(phase.durationMs).toBeGreaterThan(200);
    expect(phase.durationMs).toBeLessThan(5_000);
    expect(phase.offered).toBeGreaterThan(20);
    expect(phase.ok + phase.failed + phase.dropped + phase.unfinished).toBe(phase.offered);
    expect(res.stdout).toMatch(/interrupted/i);
  });

  it('130 on SIGTERM too', async () => {
    server = await plainServer();
    const res = await runCli(['ramp', '--target', server.url, '--phase', 'long:60s:50', '--quiet'], { signal: { name: 'SIGTERM', afterMs: 1_000 } });
    expect(res.code).toBe(130);
  });
});
