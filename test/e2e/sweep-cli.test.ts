// `incident-load sweep` through the built CLI: variants in virtual time, so the same sweep gives exactly the
// same figures twice; more workers, more success; two --vary, their product; --json with every variant's
// result; a threshold failing in one variant is exit 1; bad input is exit 2 before anything runs, naming
// --vary, the key and the value; Ctrl-C stops the variant under way, runs no more and writes what was
// measured (130).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepDocument } from '../../src/result/sweep-document.js';
import { BIN, runCli, type CliResult } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-sweep-'));
const file = (name: string): string => join(dir, name);
const readDoc = (name: string): SweepDocument => JSON.parse(readFileSync(file(name), 'utf8')) as SweepDocument;

/** The document without what the wall decides: when each variant started and how long it took. */
function measured(doc: SweepDocument): unknown {
  return JSON.parse(JSON.stringify(doc), (key, value: unknown) => (key === 'startedAt' || key === 'wallMs' ? undefined : value));
}

/** The table's row whose first cell is `value`. */
function row(stdout: string, value: string): string[] {
  const line = stdout.split('\n').find((l) => l.trim().split(/\s+/)[0] === value);
  if (!line) throw new Error(`no row ${value} in:\n${stdout}`);
  return line.trim().split(/\s+/);
}

const success = (doc: SweepDocument, phase: string): number[] => doc.variants.map((v) => v.result!.phases.find((p) => p.name === phase)!.successRatio);

describe('sweep', () => {
  let first: CliResult;

  it('quickstart over fleet.workers: a row per variant, more workers more success, exactly the same twice', async () => {
    const args = (json: string): string[] => ['sweep', 'quickstart', '--vary', 'mock.fleet.workers=4,8,16', '--json', file(json), '--no-progress'];
    first = await runCli(args('workers-a.json'), { timeoutMs: 60_000 });
    const again = await runCli(args('workers-b.json'), { timeoutMs: 60_000 });
    expect(first.code, first.stderr).toBe(0);
    expect(again.code).toBe(0);
    const a = readDoc('workers-a.json');
    expect(measured(a)).toEqual(measured(readDoc('workers-b.json')));
    // The table too, but for its line of wall time.
    const table = (out: string): string => out.replace(/simulated in [^ ]+ /, 'simulated in … ');
    expect(table(again.stdout)).toBe(table(first.stdout));

    expect(a.schema).toBe('incident-load/sweep@1');
    expect(a.profile).toBe('quickstart');
    expect(a.vary).toEqual([{ key: 'mock.fleet.workers', values: [4, 8, 16] }]);
    expect(a.variants.map((v) => v.values)).toEqual([{ 'mock.fleet.workers': 4 }, { 'mock.fleet.workers': 8 }, { 'mock.fleet.workers': 16 }]);
    for (const v of a.variants) {
      expect(v.result!.schema).toBe('incident-load/result@2');
      expect(v.result!.profile.clock).toBe('virtual');
      expect(v.result!.phases.map((p) => p.name)).toEqual(['warmup', 'ramp', 'shrunk']);
    }
    // Every variant is offered the same arrivals (one seed)...
    expect(new Set(a.variants.map((v) => v.result!.total.offered)).size).toBe(1);
    // ...and the ramp past 8 workers' capacity (about 160 req/s) succeeds more the more workers serve it.
    const ramp = success(a, 'ramp');
    expect(ramp[0]!).toBeLessThan(ramp[1]!);
    expect(ramp[1]!).toBeLessThan(ramp[2]!);

    // The table: a row per variant, each phase's success as the JSON has it.
    expect(first.stdout).toContain('sweep of quickstart');
    expect(first.stdout).toMatch(/mock\.fleet\.workers over 4, 8, 16/);
    const cells = row(first.stdout, '16');
    expect(cells).toHaveLength(1 + 3 * 2 + 1);
  }, 120_000);

  it('two --vary: every combination, the first key outer; rate scales the open-model phases', async () => {
    const res = await runCli(
      ['sweep', 'quickstart', '--vary', 'mock.fleet.workers=4,16', '--vary', 'rate=0.5,1', '--json', file('grid.json'), '--no-progress'],
      { timeoutMs: 60_000 },
    );
    expect(res.code, res.stderr).toBe(0);
    const doc = readDoc('grid.json');
    expect(doc.vary).toEqual([
      { key: 'mock.fleet.workers', values: [4, 16] },
      { key: 'rate', values: [0.5, 1] },
    ]);
    expect(doc.variants.map((v) => v.values)).toEqual([
      { 'mock.fleet.workers': 4, rate: 0.5 },
      { 'mock.fleet.workers': 4, rate: 1 },
      { 'mock.fleet.workers': 16, rate: 0.5 },
      { 'mock.fleet.workers': 16, rate: 1 },
    ]);
    // Half the rate, half the arrivals (uniform arrivals: each phase's area under its rate curve).
    const offered = doc.variants.map((v) => v.result!.total.offered);
    expect(offered[0]! * 2).toBeCloseTo(offered[1]!, -1);
    expect(offered[2]).toBe(offered[0]);
    expect(offered[3]).toBe(offered[1]);
    const lines = res.stdout.split('\n').filter((l) => /^\s*(4|16)\s+(0\.5|1)\s/.test(l));
    expect(lines).toHaveLength(4);
  }, 120_000);

  it('exit 1 when a threshold fails in one variant, naming the variant and the rule', async () => {
    const res = await runCli(['sweep', 'quickstart', '--vary', 'mock.fleet.workers=4,16', '--threshold', 'ramp: success >= 95%', '--no-progress'], {
      timeoutMs: 60_000,
    });
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(/^FAIL mock\.fleet\.workers=4: ramp: success >= 95% {2}actual [\d.]+%$/m);
    expect(res.stdout).not.toMatch(/^FAIL mock\.fleet\.workers=16/m);
    expect(row(res.stdout, '4').at(-1)).toBe('0/1');
    expect(row(res.stdout, '16').at(-1)).toBe('1/1');
    // Held in every variant: exit 0.
    const held = await runCli(['sweep', 'quickstart', '--vary', 'mock.fleet.workers=16,24', '--threshold', 'ramp: success >= 95%', '--quiet'], {
      timeoutMs: 60_000,
    });
    expect(held.code, held.stderr).toBe(0);
    expect(held.stdout).toBe('');
  }, 120_000);

  it('--json - writes the document on stdout and the table on stderr; a line per variant on stderr', async () => {
    const res = await runCli(['sweep', 'quickstart', '--vary', 'client.arrivals=uniform,poisson', '--json', '-'], { timeoutMs: 60_000 });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout) as SweepDocument;
    expect(doc.variants.map((v) => v.result!.profile.arrivals)).toEqual(['uniform', 'poisson']);
    expect(res.stderr).toMatch(/^incident-load: variant 1\/2 client\.arrivals=uniform: 25s in virtual time, seed 1$/m);
    expect(res.stderr).toMatch(/^incident-load: variant 2\/2 client\.arrivals=poisson: done in .*: success warmup [\d.]+%, ramp [\d.]+%, shrunk [\d.]+%$/m);
    expect(res.stderr).toContain('sweep of quickstart');
  }, 120_000);
});

describe('sweep: bad input, exit 2 before anything runs', () => {
  it.each([
    [['--vary', 'foo=1'], /--vary foo: unknown key \(expected mock\.<setting>/],
    [['--vary', 'mock.fleet.workers=4,x'], /--vary mock\.fleet\.workers=x: fleet\.workers: expected/],
    [['--vary', 'client.connections=8,0'], /--vary client\.connections=0: expected a whole number from 1 to 100000/],
    [['--vary', 'rate=1,0'], /--vary rate=0: expected a factor above zero/],
    [['--vary', 'workers'], /--vary: expected key=v1,v2,\.\.\./],
    [[], /expected --vary key=v1,v2,\.\.\. \(one or two\)/],
    [['--vary', 'rate=1', '--vary', 'client.connections=8', '--vary', 'mock.fleet.workers=4'], /--vary: expected one or two/],
    [
      ['--vary', `mock.fleet.workers=${Array.from({ length: 11 }, (_, i) => i + 1).join(',')}`, '--vary', 'rate=0.5,1,1.5,2,2.5,3,3.5,4,4.5,5'],
      /--vary: 11 × 10 = 110 variants; a sweep runs at most 100/,
    ],
    [['--vary', 'rate=1', '--rtt', '0'], /--rtt: expected a duration above zero/],
  ])('%j', async (args, message) => {
    const json = file(`bad-${Math.random().toString(36).slice(2)}.json`);
    // The CLI's code in this process: a spawned Node would cost half a second per case.
    const res = await runCliInProcess(['sweep', 'quickstart', ...args, '--json', json]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stdout).toBe('');
    expect(existsSync(json)).toBe(false);
  });

  it('a profile that targets a URL is refused: a sweep simulates the bundled mock', async () => {
    const profile = file('remote.yaml');
    writeFileSync(profile, 'name: remote\ntarget: http://127.0.0.1:9/\nphases: [ "a:1s:5" ]\n');
    const res = await runCliInProcess(['sweep', profile, '--vary', 'rate=1,2']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`sweep simulates the bundled mock's model in virtual time, and profile ${profile} targets http://127.0.0.1:9/`);
  });
});

describe('sweep: Ctrl-C', () => {
  it('stops the variant under way, runs no more, prints and writes what was measured, exit 130', async () => {
    // Long variants (an hour of incident time each, seconds of simulation), so the signal lands in the first.
    const json = file('interrupted.json');
    const profile = file('long.yaml');
    writeFileSync(profile, 'name: long\nseed: 1\nmock: { fleet: { workers: 16, serviceTime: exp:20ms } }\nphases: [ "long:1h:50" ]\n');
    const res = await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'sweep', profile, '--vary', 'rate=1,1.5,2', '--json', json], {
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let sent = false;
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (!sent && stderr.includes('variant 1/3')) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(killer);
        resolve({ code, signal, stdout, stderr });
      });
    });
    expect(res.code, res.stderr).toBe(130);
    expect(res.stderr).toContain('interrupted (SIGINT)');
    const doc = JSON.parse(readFileSync(json, 'utf8')) as SweepDocument;
    expect(doc.variants).toHaveLength(3);
    expect(doc.variants[0]!.result!.interrupted).toBe(true);
    expect(doc.variants.slice(1).map((v) => v.result)).toEqual([null, null]);
    expect(res.stdout).toMatch(/^ +1 .*interrupted at [\w.]+$/m);
    expect(res.stdout).toMatch(/^ +2 .*not run$/m);
  }, 120_000);
});
