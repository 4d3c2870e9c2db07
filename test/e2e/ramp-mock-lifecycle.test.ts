// The bundled mock's life under `ramp`, when things go wrong around it: a terminal's Ctrl-C (SIGINT to
// the whole process group), the mock killed, the mock frozen. Only ramp decides when its mock stops; a
// mock that dies or stops answering ends the run at once, says so, and exits 3; nothing ever hangs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, type TestContext } from 'vitest';
import type { CompareDocument } from '../../src/report/compare/document.js';
import type { RunResult } from '../../src/result/run-result.js';
import { BIN } from '../support/cli.js';
import { children, tcpOf, until } from '../support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-lifecycle-'));
const read = (file: string): RunResult => JSON.parse(readFileSync(file, 'utf8')) as RunResult;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Ramp {
  pid: number;
  /** Resolves when ramp has exited; a test failure (not a hang) if that takes more than `timeoutMs`. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  onTestFinished: Finished;
}

/** The test's own cleanup hook: the tests run concurrently, so each registers on its own context. */
type Finished = TestContext['onTestFinished'];

/** `incident-load ramp` leading its own process group, as a shell runs a foreground job. */
function ramp(onTestFinished: Finished, args: string[], timeoutMs = 60_000): Ramp {
  return command(onTestFinished, ['ramp', ...args], timeoutMs);
}

function command(onTestFinished: Finished, args: string[], timeoutMs: number): Ramp {
  const child = spawn(process.execPath, [BIN, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { pid: child.pid!, done, onTestFinished };
}

/** The mock under `ramp`, once ramp is sending to it (so ramp has its URLs: the run is under way). */
async function servingMock(run: Ramp): Promise<number> {
  return servingChild(run, 'dist/mock/main.js');
}

/** ramp's child running `entry` (its mock or its proxy), once ramp is connected to it. */
async function servingChild(run: Ramp, entry: string): Promise<number> {
  let found: number[] = [];
  // Generous waits (on the event, not a fixed time): the file's tests start their processes at once.
  if (!(await until(() => (found = children(run.pid, entry)).length === 1, 30_000))) throw new Error(`ramp started no ${entry}`);
  const mock = found[0]!;
  if (!(await until(() => tcpOf(mock).established > 0, 30_000))) throw new Error('ramp never connected to its mock');
  run.onTestFinished(() => {
    for (const signal of ['SIGCONT', 'SIGKILL'] as const) {
      try {
        process.kill(mock, signal);
      } catch {
        // gone already, as it should be
      }
    }
  });
  return mock;
}

// Concurrent: most of this file is waiting (a frozen mock's 15 s of silence, twice), not working; each
// test has its own processes and files, and waits on events rather than for fixed times.
describe.concurrent('ramp and its mock', () => {
  it('Ctrl-C in a terminal (SIGINT to the process group) stops the run, not the mock under it', { timeout: 90_000 }, async ({ onTestFinished }) => {
    // 2 s of service: every request sent in the last 2 s is still in flight at the interrupt. Those the
    // half-second grace does not see finish are unfinished; none may fail because the mock went first.
    const json = join(dir, 'group-sigint.json');
    const run = ramp(onTestFinished, ['--phase', 'a:20s:20', '--mock', 'fleet.workers=200', '--mock', 'fleet.serviceTime=2s', '--json', json, '--quiet']);
    // Once the load reaches the mock (the run is under way), 1.5 s of sending: all of it still in service.
    await servingMock(run);
    await sleep(1_500);
    process.kill(-run.pid, 'SIGINT');
    const res = await run.done;
    expect(res.code).toBe(130);
    const result = read(json);
    expect(result.interrupted).toBe(true);
    expect(result.total.errors).not.toHaveProperty('socket-closed');
    expect(result.total.failed).toBe(0);
    expect(result.total.unfinished).toBeGreaterThan(0);
    expect(result.total.ok + result.total.unfinished).toBe(result.total.offered);
  });

  it('a mock killed mid-run ends the run at once: exit 3, the JSON and the report say the mock exited', { timeout: 90_000 }, async ({ onTestFinished }) => {
    const json = join(dir, 'killed.json');
    const run = ramp(onTestFinished, ['--phase', 'a:30s:50', '--json', json, '--no-progress']);
    const mock = await servingMock(run);
    await sleep(1_000);
    process.kill(mock, 'SIGKILL');
    const res = await run.done;
    expect(res.code).toBe(3);
    const result = read(json);
    expect(result.interrupted).toBe(false);
    expect(result.failure).toMatchObject({ kind: 'mock-exited', message: 'the bundled mock exited (SIGKILL)' });
    expect(result.failure!.atMs).toBeGreaterThan(0);
    // It stopped there rather than blaming the "target" for ECONNREFUSED until the end of the schedule.
    expect(result.total.durationMs).toBeLessThan(result.plannedMs);
    expect(result.total.durationMs).toBeGreaterThanOrEqual(result.failure!.atMs);
    // The report's header, and stderr.
    expect(res.stdout).toMatch(
      /^the bundled mock exited \(SIGKILL\) at [\d.]+m?s of incident time\nthe run stopped after [\d.]+m?s of 30s of incident time — partial results$/m,
    );
    expect(res.stderr).toMatch(
      /^incident-load: the bundled mock exited \(SIGKILL\) at [\d.]+m?s of incident time; the run stopped (there|at [\d.]+m?s) — partial results saved$/m,
    );
  });

  it('a frozen mock (SIGSTOP) ends the run on its own: exit 3, the JSON says it stopped answering', { timeout: 90_000 }, async ({ onTestFinished }) => {
    const json = join(dir, 'frozen.json');
    // Frozen at once, it is found out after 15 s of silence: well inside the 20 s schedule.
    const run = ramp(onTestFinished, ['--phase', 'a:20s:50', '--timeout', '1s', '--json', json, '--no-progress']);
    process.kill(await servingMock(run), 'SIGSTOP');
    const res = await run.done;
    expect(res.signal).toBeNull(); // not the test's killer: it ended by itself
    expect(res.code).toBe(3);
    const result = read(json);
    expect(result.failure).toMatchObject({ kind: 'mock-unresponsive', message: 'the bundled mock stopped answering its control API (no answer for 15s)' });
    expect(res.stdout).toMatch(
      /^the bundled mock stopped answering its control API \(no answer for 15s\) at [\d.]+m?s of incident time\nthe run stopped after [\d.]+m?s of 20s of incident time — partial results$/m,
    );
    expect(res.stderr).toMatch(
      /^incident-load: the bundled mock stopped answering its control API \(no answer for 15s\) at [\d.]+m?s of incident time; the run stopped at [\d.]+m?s — partial results saved$/m,
    );
  });

  it('a mock or proxy frozen too late in the run for the watchdog is judged at its end: exit 3, not 0', { timeout: 90_000 }, async ({ onTestFinished }) => {
    // A 3 s schedule: the 15 s of silence that make the verdict cannot fit in it (exit 0 and every loss
    // blamed on the target before). The end waits what is left of them for an answer, then says so.
    const upstream = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void upstream.close());
    const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const mockJson = join(dir, 'frozen-late-mock.json');
    const proxyJson = join(dir, 'frozen-late-proxy.json');
    const viaMock = ramp(onTestFinished, ['--phase', 'a:3s:20', '--timeout', '1s', '--json', mockJson, '--no-progress']);
    const viaProxy = ramp(onTestFinished, ['--target', target, '--via-proxy', '--phase', 'a:3s:20', '--timeout', '1s', '--json', proxyJson, '--no-progress']);
    // Each frozen as soon as its own run is under way, whichever of the two starts first.
    await Promise.all([
      servingMock(viaMock).then((pid) => process.kill(pid, 'SIGSTOP')),
      servingChild(viaProxy, 'dist/proxy/main.js').then((pid) => process.kill(pid, 'SIGSTOP')),
    ]);
    for (const [run, json, what, kind] of [
      [viaMock, mockJson, 'the bundled mock', 'mock-unresponsive'],
      [viaProxy, proxyJson, 'the proxy', 'proxy-unresponsive'],
    ] as const) {
      const res = await run.done;
      expect(res.signal).toBeNull();
      expect(res.code, res.stderr).toBe(3);
      const result = read(json);
      expect(result.failure).toMatchObject({ kind, message: `${what} stopped answering its control API (no answer for 15s)` });
      expect(res.stderr).toMatch(
        new RegExp(`^incident-load: ${what} stopped answering its control API \\(no answer for 15s\\) at [\\d.]+m?s of incident time`, 'm'),
      );
    }
  });

  it('Ctrl-C while the mock is frozen ends the run at once, with what was measured', { timeout: 90_000 }, async ({ onTestFinished }) => {
    const json = join(dir, 'frozen-interrupted.json');
    const run = ramp(onTestFinished, ['--phase', 'a:30s:50', '--timeout', '1s', '--json', json, '--no-progress']);
    process.kill(await servingMock(run), 'SIGSTOP');
    await sleep(300);
    process.kill(run.pid, 'SIGINT');
    const res = await run.done;
    expect(res.signal).toBeNull();
    expect(res.code).toBe(130);
    const result = read(json);
    expect(result.interrupted).toBe(true);
    expect(result.phases[0]!.offered).toBeGreaterThan(0);
  });

  it('compare goes on after a run whose mock died, and exits 3', { timeout: 90_000 }, async ({ onTestFinished }) => {
    const profile = (name: string, phase: string): string => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, `name: ${name}\nspeed: 1\nseed: 3\nphases: [ "${phase}" ]\n`);
      return file;
    };
    const json = join(dir, 'compare-broken.json');
    const run = command(onTestFinished, ['compare', profile('long', 'a:30s:20'), profile('short', 'a:1s:20'), '--json', json, '--no-progress'], 60_000);
    // The first run's mock; the second run starts a mock of its own.
    process.kill(await servingMock(run), 'SIGKILL');
    const res = await run.done;
    expect(res.code).toBe(3);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as CompareDocument;
    expect(doc.runs[0]!.result!.failure).toMatchObject({ kind: 'mock-exited', message: 'the bundled mock exited (SIGKILL)' });
    expect(doc.runs[1]!.result!.failure).toBeUndefined();
    expect(doc.runs[1]!.result!.total.ok).toBe(20);
    expect(res.stderr).toMatch(
      /^incident-load: long: the bundled mock exited \(SIGKILL\) at [\d.]+m?s of incident time; the run stopped (there|at [\d.]+m?s) — partial results$/m,
    );
  });
});
