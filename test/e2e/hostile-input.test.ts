// What a hostile-input audit found (shared/reviews/reliability-2026-12.md), each reproduced through the
// built CLI: numbers without bounds, a result lost after the run, a predictable temporary file,
// credentials in the target, crashes instead of exit 2, terminal escapes, slow paths.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/run-result.js';
import { spawn } from 'node:child_process';
import { BIN, loadReachedMock, mockStarted, runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { until } from '../support/processes.js';
import { recordingServer, type TestServer } from '../support/servers.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-hostile-'));
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const NINES = '9'.repeat(400);
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/**
 * Exit 2, before any run, with one paragraph naming `what`. Checks of bad input run the CLI's code in this
 * process (a spawned Node costs half a second each); `spawned` runs the built CLI as a user would.
 */
async function refused(args: string[], what: RegExp, spawned = false): Promise<void> {
  const res = spawned ? await runCli(args, { timeoutMs: 15_000 }) : await runCliInProcess(args);
  expect(res.code, res.stderr).toBe(2);
  expect(res.stderr).toMatch(what);
  expect(res.stderr).not.toMatch(/unexpected error|\n\s+at /);
}

describe('numbers have stated, finite bounds, the same for flags and profiles', () => {
  it.each([
    [['--speed', '1e9'], /--speed: expected a number from 0\.01 to 10000/],
    [['--speed', '0'], /--speed: expected a number from 0\.01 to 10000/],
    [['-c', '100001'], /--connections: expected a whole number from 1 to 100000/],
    [['--seed', '4294967296'], /--seed: expected a whole number from 0 to 4294967295/],
    [['--max-in-flight', '1000001'], /--max-in-flight: expected a whole number from 1 to 1000000/],
    [['--phase', `a:${NINES}s:10`], /--phase .*duration: expected a duration .*at most 30d/],
    [['--phase', 'a:20d:1', '--phase', 'b:20d:1'], /phases that last at most 30d end to end, got 40d/],
    [['--timeout', `${NINES}s`], /--timeout: expected a duration/],
    [['--phase', 'a:1s:1000000000000'], /--phase .*rate: expected a rate/],
    [['--phase', 'a:1s:vus=100000000'], /--phase .*vus: expected a whole number of virtual users from 1 to 100000/],
    [['--target', 'http://127.0.0.1:0/'], /--target: expected a URL with a port from 1 to 65535/],
    [['--fault', '1h:shrink-fleet:workers=4', '--phase', 'a:1s:5'], /--fault 1h:shrink-fleet: expected a time before the run ends/],
    [['-H', 'x-a: b\r\nx-injected: 1'], /--header: expected a value of header "x-a" without line breaks/],
    [['-H', 'x-a: snow ☃'], /--header: expected a value of header "x-a" without .* beyond Latin-1/],
    [['--body', '@/dev/zero'], /--body @\/dev\/zero: expected a regular file/],
  ])('ramp %j is bad input', async (flags, what) => {
    await refused(['ramp', ...flags, '--no-progress'], what);
  });

  it('through the built CLI too', async () => {
    await refused(['ramp', '--speed', '1e9', '--no-progress'], /--speed: expected a number from 0\.01 to 10000/, true);
    await refused(['ramp', '--body', '@/dev/zero', '--no-progress'], /--body @\/dev\/zero: expected a regular file/, true);
  });

  it.each([
    ['speed: 1e308', /speed: expected a number from 0\.01 to 10000, got 1e\+308/],
    ['phases: [{ name: a, duration: 1s, rate: 1e308 }]', /phases\[0\]\.rate: expected a rate/],
    ['phases: [{ name: a, duration: 1s, vus: 1e308 }]', /phases\[0\]\.vus: expected a whole number of virtual users/],
    [`mock: { fleet: { serviceTime: "exp:${NINES}s" } }`, /mock\.fleet\.serviceTime: expected a service time/],
    [`mock: { latency: { add: "${NINES}s" } }`, /mock\.latency\.add: expected a duration/],
    ['mock: { queue: { maxLength: 10000000 } }', /mock\.queue\.maxLength: expected a whole number from 0 to 1000000/],
    ['client: { connections: 100001 }', /client\.connections: expected a whole number from 1 to 100000/],
    ['request: { headers: { x-a: "b\\r\\nx-injected: 1" } }', /request\.headers: expected a value of header "x-a" without line breaks/],
  ])('a profile with %s is refused by validate and by ramp', async (line, what) => {
    const path = file(`bound-${Math.random().toString(36).slice(2)}.yaml`, `${line.startsWith('phases') ? '' : 'phases: [ "a:1s:5" ]\n'}${line}\n`);
    await refused(['validate', path], what);
    await refused(['ramp', path, '--no-progress'], what);
  });

  it('through the built CLI too', async () => {
    await refused(['validate', file('huge-speed.yaml', 'phases: [ "a:1s:5" ]\nspeed: 1e308\n')], /speed: expected a number from 0\.01 to 10000/, true);
  });

  it('a profile with more thresholds than the limit is bad input, not a stack overflow after the run', async () => {
    const thresholds = Array.from({ length: 1_001 }, () => '"p99 < 1s"').join(', ');
    await refused(
      ['validate', file('many-thresholds.yaml', `phases: [ "a:1s:5" ]\nthresholds: [ ${thresholds} ]\n`)],
      /thresholds: expected at most 1000 thresholds/,
    );
  });
});

describe('the result is never lost', () => {
  it.each([
    [['--json', ''], /--json: expected a file name, or "-" for stdout/],
    [['--json', '/proc/x.json'], /--json \/proc\/x\.json: cannot create a file in \/proc/],
    [['--json', '/dev/null'], /--json \/dev\/null: is not a regular file/],
    [['--json', tmpdir()], /is a directory; give a file name/],
  ])('%j is refused before the run', async (flags, what) => {
    await refused(['ramp', '--phase', 'a:1s:5', '--no-progress', ...flags], what);
  });

  it('a --json write that fails after the run keeps the result in a private temporary file, says where, and exits 3', async () => {
    const gone = join(dir, 'vanishing');
    mkdirSync(gone);
    // The directory is there when the run begins (the check passes) and gone when it ends: it is removed
    // once the run's load reaches its mock (the run is under way, its 3 s still ahead).
    const child = spawn(process.execPath, [BIN, 'ramp', '--phase', 'a:3s:20', '--json', join(gone, 'out.json')], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(await until(() => loadReachedMock(child.pid!), 20_000), stderr).toBe(true);
    rmSync(gone, { recursive: true });
    const code = await closed;
    expect(existsSync(gone), stderr).toBe(false);
    expect(code, stderr).toBe(3);
    const saved = /the result is saved in (\S+\.json)/.exec(stderr)?.[1];
    expect(saved, stderr).toBeDefined();
    const result = JSON.parse(readFileSync(saved!, 'utf8')) as RunResult;
    expect(result.total.offered).toBe(60);
    expect(statSync(saved!).mode & 0o777).toBe(0o600);
    expect(stdout).toContain('phase'); // the report was printed too
  });

  it('writes through no planted symlink, replaces the target whole, leaves no temporary file', async () => {
    const here = mkdtempSync(join(dir, 'atomic-'));
    const victim = join(here, 'victim.txt');
    writeFileSync(victim, 'precious data');
    const target = join(here, 'out.json');
    symlinkSync(victim, target);
    const res = await runCli(['ramp', '--phase', 'a:250ms:20', '--quiet', '--json', target]);
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious data');
    expect(lstatSync(target).isSymbolicLink()).toBe(false);
    expect((JSON.parse(readFileSync(target, 'utf8')) as RunResult).total.offered).toBe(5);
    expect(readdirSync(here).sort()).toEqual(['out.json', 'victim.txt']);
  });
});

describe('the timeline stops at the run’s end', () => {
  it('requests still in flight at the end do not add windows, however high the speed', async () => {
    const json = join(dir, 'clip.json');
    // At speed 1000 a second of service is a millisecond of wall time; the drain after the schedule lasts
    // at least the 500 ms grace of wall time: 500 s of incident time, 10× the run, in the old timeline.
    const res = await runCli([
      'ramp',
      '--phase',
      'a:50s:20',
      '--speed',
      '1000',
      '--mock',
      'fleet.serviceTime=20s',
      '--mock',
      'fleet.workers=1000',
      '--quiet',
      '--json',
      json,
    ]);
    expect(res.code, res.stderr).toBe(0);
    const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    const windowMs = result.timeline[0]!.durationMs;
    expect(result.timeline).toHaveLength(Math.ceil(50_000 / windowMs));
    expect(result.timeline.at(-1)!.t).toBeLessThan(50_000);
    const finished = result.timeline.reduce((sum, w) => sum + w.ok + w.failed, 0);
    expect(finished).toBe(result.total.ok + result.total.failed);
  });
});

describe('credentials in --target', () => {
  it('go out as Basic authorization and are never printed or stored', async () => {
    const recording = await recordingServer();
    server = recording;
    const json = join(dir, 'creds.json');
    const url = `http://user:s3cret@127.0.0.1:${recording.port}/`;
    const res = await runCli(['ramp', '--target', url, '--phase', 'a:250ms:20', '--no-progress', '--json', json]);
    expect(res.code, res.stderr).toBe(0);
    expect(recording.seen.map((r) => r.headers.authorization)).toEqual(Array(5).fill(`Basic ${Buffer.from('user:s3cret').toString('base64')}`));
    const saved = readFileSync(json, 'utf8');
    for (const text of [res.stdout, res.stderr, saved]) expect(text).not.toContain('s3cret');
    expect((JSON.parse(saved) as RunResult).profile.target).toBe(`http://user:***@127.0.0.1:${recording.port}/`);
  });

  it('an -H authorization header wins over the URL’s', async () => {
    const recording = await recordingServer();
    server = recording;
    const res = await runCli([
      'ramp',
      '--target',
      `http://user:s3cret@127.0.0.1:${recording.port}/`,
      '-H',
      'authorization: Bearer t',
      '--phase',
      'a:250ms:8',
      '--quiet',
    ]);
    expect(res.code).toBe(0);
    expect(recording.seen.map((r) => r.headers.authorization)).toEqual(['Bearer t', 'Bearer t']);
  });
});

describe('crashes become exit 2', () => {
  it.each([
    ['an undefined alias', 'phases: *nope\n', /Unresolved alias/],
    [
      'a billion laughs',
      `phases: ["a:1s:5"]\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
      /alias count/i,
    ],
  ])('validate: %s', async (_, text, what) => {
    await refused(['validate', file(`yaml-${Math.random().toString(36).slice(2)}.yaml`, text)], what);
  });

  it('compare: an edited result file is bad input naming the file and the part', async () => {
    const good = join(dir, 'good.json');
    expect((await runCli(['ramp', '--phase', 'a:250ms:20', '--quiet', '--json', good])).code).toBe(0);
    const result = JSON.parse(readFileSync(good, 'utf8')) as RunResult;
    const edited = file('edited.json', JSON.stringify({ ...result, thresholds: [1, 2] }));
    await refused(['compare', good, edited, '--no-progress'], /edited\.json: .*thresholds\[0\]/);
    const negative = file('negative.json', JSON.stringify({ ...result, total: { ...result.total, offered: -100 } }));
    await refused(['compare', good, negative, '--no-progress'], /negative\.json: .*total\.offered/);
  });
});

describe('nothing reaches the terminal raw', () => {
  it('a profile name or description with escape sequences is bad input', async () => {
    await refused(
      ['validate', file('escape-name.yaml', 'name: "x\\e]0;pwned\\a\\e[2J"\nphases: [ "a:1s:5" ]\n')],
      /name: expected text without control characters/,
    );
    await refused(
      ['validate', file('escape-desc.yaml', 'description: "fine\\nthen \\e[2J"\nphases: [ "a:1s:5" ]\n')],
      /description: expected text without control characters/,
    );
  });

  it('what a user typed is echoed without its escapes', async () => {
    const res = await runCliInProcess(['ramp', '--phase', 'bad\u001b]0;pwned\u0007', '--no-progress']);
    expect(res.code).toBe(2);
    expect(res.stderr).not.toMatch(/[\u0007\u001b]/);
  });
});

describe('slow paths', () => {
  it('100,000 unknown keys are reported in seconds (the checks are linear: quadratic ones took minutes)', async () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join('\n');
    const res = await runCliInProcess(['validate', file('keys.yaml', `phases: [ "a:1s:5" ]\n${keys}\n`)]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/k0: unknown key/);
    // The message lists the first problems and counts the rest: it stays readable.
    expect(res.stderr).toMatch(/… and 99950 more/);
    expect(res.stderr.length).toBeLessThan(20_000);
  }, 30_000);

  it('SIGHUP (the terminal went away) ends a run like SIGTERM: exit 130, the JSON written', async () => {
    const json = join(dir, 'hup.json');
    const res = await runCli(['ramp', '--phase', 'a:20s:20', '--quiet', '--json', json], { signal: { name: 'SIGHUP', afterMs: 1_000, when: mockStarted } });
    expect(res.code).toBe(130);
    expect(existsSync(json)).toBe(true);
    expect((JSON.parse(readFileSync(json, 'utf8')) as RunResult).interrupted).toBe(true);
  });
});
