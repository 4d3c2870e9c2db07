// `incident-load ramp` against the bundled mock it starts itself: the profile's mock section, --mock and
// --fault applied, the mock's state sampled into the timeline, and the mock always stopped.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/run-result.js';
import { BIN, loadReachedMock, runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { alive, children, until } from '../support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-mock-e2e-'));
const read = (file: string): RunResult => JSON.parse(readFileSync(file, 'utf8')) as RunResult;

/** The mock's traffic port, from the result's target ("mock (http://127.0.0.1:41234)"). */
function mockPort(result: RunResult): number {
  const m = /^mock \(http:\/\/127\.0\.0\.1:(\d+)\)$/.exec(result.profile.target);
  if (!m) throw new Error(`not a mock target: ${result.profile.target}`);
  return Number(m[1]);
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('ramp against the bundled mock', () => {
  it('runs the quickstart: the mock state in the timeline, the fault at 15 s, the mock stopped afterwards', async () => {
    const json = join(dir, 'quickstart.json');
    const res = await runCli(['ramp', '--speed', '5', '--json', json]);
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.code).toBe(0);
    const result = read(json);
    expect(result.faults).toEqual([{ at: 15_000, fault: 'shrink-fleet', params: { workers: 4 } }]);
    // One sample in flight at a time: on a quiet machine /state answers within a window (100 ms of wall
    // time here) and every window has one; on a starved one answers take 300 ms to seconds and the
    // windows in between go without (36 of 52 sampled with two CPU hogs on the 2 cores, 9 at load 10).
    // So: samples on both sides of the fault, each showing what it should.
    const sampled = result.timeline.filter((w) => w.mock);
    expect(sampled.filter((w) => w.t + w.durationMs <= 14_500).length).toBeGreaterThan(0);
    expect(sampled.filter((w) => w.t >= 15_500).length).toBeGreaterThan(0);
    for (const w of sampled) {
      if (w.t + w.durationMs <= 14_500) expect(w.mock!.workers).toBe(8);
      if (w.t >= 15_500) expect(w.mock!.workers).toBe(4);
      expect(w.mock!.routersReady).toBeNull();
    }
    // The knee: queueing before the fault, and half the successes after it.
    expect(Math.max(...sampled.filter((w) => w.t < 15_000).map((w) => w.mock!.queued))).toBeGreaterThan(10);
    const [warmup, , shrunk] = result.phases;
    expect(warmup!.successRatio).toBeGreaterThan(0.97);
    expect(shrunk!.successRatio).toBeLessThan(0.75);
    expect(shrunk!.statuses['504']).toBeGreaterThan(100);
    expect(res.stdout).toMatch(/queued/);
    expect(await refuses(mockPort(result))).toBe(true);
  });

  it('applies --mock and --fault on top of the profile', async () => {
    const json = join(dir, 'flags.json');
    const res = await runCli([
      'ramp',
      'quickstart',
      '--phase',
      'a:2s:40',
      '--mock',
      'fleet.workers=2',
      '--mock',
      'fleet.serviceTime=20ms',
      '--fault',
      '1s:shrink-fleet:workers=1',
      '--json',
      json,
      '--quiet',
    ]);
    expect(res.code).toBe(0);
    const result = read(json);
    // --fault is applied; the quickstart's own shrink at 15 s falls after this 2 s run.
    expect(result.faults.map((f) => [f.at, f.fault, f.error])).toEqual([
      [1_000, 'shrink-fleet', undefined],
      [15_000, 'shrink-fleet', 'the run ended before its time'],
    ]);
    const windows = result.timeline.filter((w) => w.mock);
    expect(windows.filter((w) => w.t < 900).every((w) => w.mock!.workers === 2)).toBe(true);
    expect(windows.filter((w) => w.t >= 1_100 && w.t < 2_000).every((w) => w.mock!.workers === 1)).toBe(true);
  });

  it('exits 2 for a bad --mock or --fault, for --fault or --mock against a URL, and for --retries over 100', async () => {
    for (const [args, message] of [
      [['--mock', 'fleet.workerz=3'], /--mock fleet\.workerz=3: unknown mock setting/],
      [['--fault', '1s:melt:x=1'], /--fault 1s:melt:x=1: unknown fault "melt"/],
      [['--fault', '1s:shrink-fleet:workers=-1'], /workers: expected a whole number/],
      [
        ['--target', 'http://127.0.0.1:9/', '--fault', '1s:break-monitor'],
        /--fault needs the bundled mock .* drop --target, send through the proxy with --via-proxy \(it applies faults to real traffic\), give the control API of the mock at that URL with --control, or drop --fault/,
      ],
      [['--target', 'http://127.0.0.1:9/', '--mock', 'fleet.workers=2'], /--mock needs the bundled mock \(it configures the simulated service\)/],
      [['smoke-at-url.yaml', '--fault', '1s:break-monitor'], /drop the profile's target \(.*smoke-at-url\.yaml: target: http:\/\/127\.0\.0\.1:9\/\)/],
      [['--retries', '101'], /--retries: expected a whole number from 0 to 100, got "101"/],
    ] as const) {
      writeFileSync(join(dir, 'smoke-at-url.yaml'), 'target: "http://127.0.0.1:9/"\nphases: [ "a:1s:5" ]\n');
      // The CLI's code in this process: a spawned Node would cost half a second per case.
      const res = await runCliInProcess(['ramp', '--phase', 'a:1s:5', ...args.map((a) => (a.endsWith('.yaml') ? join(dir, a) : a))]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(message);
    }
  });

  it('exits 2 for a fault this mock would refuse (kill-routers without routers), before anything runs', async () => {
    const json = join(dir, 'refused.json');
    const res = await runCliInProcess(['ramp', '--phase', 'a:2s:5', '--fault', '1s:kill-routers:count=1', '--json', json]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--fault kill-routers: the mock would refuse it at 1s: kill-routers: needs router nodes, but the routers section is off');
    expect(() => readFileSync(json)).toThrow();
    // With routers turned on by --mock it is fine.
    expect((await runCli(['ramp', '--phase', 'a:2s:5', '--mock', 'routers.count=2', '--fault', '1s:kill-routers:count=1', '--quiet'])).code).toBe(0);
  });

  it('lists faults the run ended before (a shorter --phase) as not applied', async () => {
    const json = join(dir, 'late.json');
    const res = await runCli(['ramp', 'quickstart', '--phase', 'a:250ms:20', '--json', json, '--no-progress']);
    expect(res.code).toBe(0);
    // The quickstart's fleet shrink is at 15 s.
    expect(read(json).faults).toEqual([{ at: 15_000, fault: 'shrink-fleet', params: { workers: 4 }, error: 'the run ended before its time' }]);
    // Said once in the report, not "not applied: not applied:".
    expect(res.stdout).toContain('shrink-fleet workers=4 — not applied: the run ended before its time');
    expect(res.stdout).not.toContain('not applied: not applied');
  });

  it('stops the mock on Ctrl-C too, after writing what it measured', async () => {
    const json = join(dir, 'interrupted.json');
    const res = await runCli(['ramp', '--phase', 'long:60s:50', '--json', json, '--quiet'], {
      signal: { name: 'SIGINT', afterMs: 1_000, when: loadReachedMock },
    });
    expect(res.code).toBe(130);
    const result = read(json);
    expect(result.interrupted).toBe(true);
    expect(result.phases[0]!.offered).toBeGreaterThan(20);
    expect(await refuses(mockPort(result))).toBe(true);
  });

  it('leaves no orphan when ramp itself is killed outright (SIGKILL)', async () => {
    const child = spawn(process.execPath, [BIN, 'ramp', '--phase', 'long:60s:20', '--quiet'], { stdio: 'ignore' });
    try {
      let mocks: number[] = [];
      expect(await until(() => (mocks = children(child.pid!, 'dist/mock/main.js')).length === 1, 10_000)).toBe(true);
      child.kill('SIGKILL');
      // The mock watches its stdin: when the parent is gone the pipe closes and it exits.
      expect(await until(() => !alive(mocks[0]!), 5_000)).toBe(true);
    } finally {
      if (alive(child.pid!)) child.kill('SIGKILL');
    }
  });
});
