// A target that answers with a status of 600-999 (audit 2026-12-07, 3.3): ramp records it, and every
// reader reads the result back — the schema takes 100-999, what an HTTP client reads — where each refused
// the file as damaged. Such a status is never a success (it is outside any expected range).
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/run-result.js';
import { runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-odd-status-'));
let server: net.Server;
let target = '';
beforeAll(async () => {
  // Keeps each connection open and answers every request on it with a 999.
  server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.on('data', () => socket.write('HTTP/1.1 999 <b>Weird</b>\r\nContent-Length: 2\r\n\r\nok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a status of 999 from the target', () => {
  it('is recorded by ramp, a failure, and read back by report, compare and merge', { timeout: 120_000 }, async () => {
    const at = (name: string): string => join(dir, name);
    const runs = await Promise.all([
      runCli(['ramp', '--target', target, '--phase', 'a:1s:6', '--json', at('s.json'), '-q'], { timeoutMs: 60_000 }),
      runCli(['ramp', '--target', target, '--phase', 'a:1s:6', '--segment', '0/2', '--json', at('s0.json'), '-q'], { timeoutMs: 60_000 }),
      runCli(['ramp', '--target', target, '--phase', 'a:1s:6', '--segment', '1/2', '--json', at('s1.json'), '-q'], { timeoutMs: 60_000 }),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(at('s.json'), 'utf8')) as RunResult;
    expect(result.total.statuses).toEqual({ '999': 6 });
    expect(result.total.ok).toBe(0);
    const report = await runCliInProcess(['report', at('s.json')]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/^\s*999\b/m);
    const compare = await runCliInProcess(['compare', at('s.json'), at('s.json')]);
    expect(compare.code, compare.stderr).toBe(0);
    const merge = await runCliInProcess(['merge', at('s0.json'), at('s1.json'), '--json', at('m.json'), '-q']);
    expect(merge.code, merge.stderr).toBe(0);
    expect((JSON.parse(readFileSync(at('m.json'), 'utf8')) as RunResult).total.statuses).toEqual({ '999': 6 });
  });
});
