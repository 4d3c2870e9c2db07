// Audit 2026-12-07, items 8 and 12, through the real CLI: a run of one segment (`k8s --segments 1`:
// `ramp --segment 0/1 --barrier … --shard-stdout`) writes its shard and `collect` merges it; segment 0's
// barrier answers a `null` body (or any registration of the wrong shape) 400, never 500; and a segment told
// by a forged segment 0 to start at Infinity, 1e300 ms ago or a year ahead fails at once (exit 3, its
// reason, no stack trace) instead of crashing or waiting past --barrier-timeout.
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newControlToken } from '../../src/mock/control-api.js';
import type { RunResult } from '../../src/result/run-result.js';
import { readFileSync } from 'node:fs';
import { runCli } from '../support/cli.js';
import { plainServer, type TestServer } from '../support/servers.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-barrier-e2e-'));
const TOKEN = newControlToken();
const tokenFile = join(dir, 'barrier-token');
writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });

let server: TestServer | undefined;
let fake: http.Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await new Promise<void>((resolve) => (fake ? fake.close(() => resolve()) : resolve()));
  fake = undefined;
});

/** A port the OS gave and took back: free for the barrier to listen on. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function post(port: number, body: string): Promise<{ status: number; text: string; barrier: string | undefined }> {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/barrier`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body,
      });
      return { status: res.status, text: await res.text(), barrier: res.headers.get('incident-load-barrier') ?? undefined };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('the barrier never listened');
}

describe('audit item 8: one segment', () => {
  it('ramp --segment 0/1 --barrier --shard-stdout writes its shard, and collect merges it (exit 0)', async () => {
    server = await plainServer();
    const port = await freePort();
    const run = await runCli(
      [
        'ramp',
        '--target',
        server.url,
        '--phase',
        'a:250ms:40',
        '--segment',
        '0/1',
        '--barrier',
        `127.0.0.1:${port}`,
        '--barrier-token-file',
        tokenFile,
        '--shard-stdout',
        '--no-progress',
      ],
      { timeoutMs: 30_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^@incident-load\/shard 0\/1 begin /m);
    const log = join(dir, 'one.log');
    writeFileSync(log, run.stdout);
    const json = join(dir, 'one.json');
    const collected = await runCli(['collect', log, '--json', json, '--no-color']);
    expect(collected.stderr).toBe('');
    expect(collected.code).toBe(0);
    const merged = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    expect(merged.total.offered).toBe(10);
    expect(merged.total.ok).toBe(10);
    expect(merged.segments).toHaveLength(1);
  }, 60_000);
});

describe('audit item 12: the barrier', () => {
  it("segment 0's barrier answers a null body, a list, text or a run that is an object 400, and keeps serving", async () => {
    server = await plainServer();
    const port = await freePort();
    const segment0 = runCli(
      [
        'ramp',
        '--target',
        server.url,
        '--phase',
        'a:1s:5',
        '--segment',
        '0/2',
        '--barrier',
        `127.0.0.1:${port}`,
        '--barrier-token-file',
        tokenFile,
        '--barrier-timeout',
        '4s',
        '--no-progress',
      ],
      { timeoutMs: 30_000 },
    );
    for (const body of ['null', '[]', '"x"', '{"run": {"toString": null}, "index": 1, "count": 2}', '{"run": "r", "index": "1", "count": 2}']) {
      const res = await post(port, body);
      expect(res.status, body).toBe(400);
      expect(res.barrier).toBe('1');
      expect(JSON.parse(res.text)).toEqual({ error: expect.stringMatching(/^expected \{"run": text, "index": number, "count": number\}/) });
    }
    const done = await segment0;
    // Still serving, and giving up at its timeout naming the segment that never came.
    expect(done.code).toBe(3);
    expect(done.stderr).toMatch(/segment 1 of 2 did not reach the start barrier within 4s/);
    expect(done.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it.each([
    ['Infinity (1e999)', '1e999', /announced a start at Infinity/],
    ['1e300 ms ago', '-1e300', /announced a start at -1e\+300/],
    ['a year ahead', String(Date.now() + 365 * 86_400_000), /announced a start at \d{4}-\d\d-\d\dT.*not within this segment's --barrier-timeout/],
  ])(
    'a forged release with a start at %s: exit 3 at once, with the reason, no stack',
    async (_, startAtMs, message) => {
      server = await plainServer();
      fake = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json', 'incident-load-barrier': '1' });
          res.end(`{"startAtMs": ${startAtMs}, "startAt": "forged"}`);
        });
      });
      await new Promise<void>((resolve) => fake!.listen(0, '127.0.0.1', resolve));
      const port = (fake.address() as net.AddressInfo).port;
      const res = await runCli(
        [
          'ramp',
          '--target',
          server.url,
          '--phase',
          'a:1s:5',
          '--segment',
          '1/2',
          '--barrier',
          `127.0.0.1:${port}`,
          '--barrier-token-file',
          tokenFile,
          '--barrier-timeout',
          '5s',
          '--shard-stdout',
          '--no-progress',
        ],
        { timeoutMs: 30_000 },
      );
      expect(res.code).toBe(3);
      expect(res.stderr).toMatch(message);
      expect(res.stderr).not.toMatch(/\n\s+at /);
      expect(res.stdout).toMatch(/^@incident-load\/shard 1\/2 error /m);
      expect(server.requests()).toBe(0);
    },
    60_000,
  );
});
