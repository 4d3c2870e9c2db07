// `incident-load compare` through the built CLI: two results saved by `ramp --json` against loopback
// servers this test starts, two tiny profiles run against their own bundled mocks, Ctrl-C in the middle,
// and bad input refused (exit 2) before anything runs. "compare profiles" is compare's end-to-end case
// over HTTP (the mocks' processes, real sockets, wall time); the verdicts and the gate on the model's
// behaviour are judged in virtual time, exactly, in compare-gate.test.ts and compare-fail-on.test.ts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { CompareDocument } from '../../src/report/compare/document.js';
import type { RunResult } from '../../src/result/run-result.js';
import { mockStarted, runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { plainServer, refusedPort, type TestServer } from '../support/servers.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-compare-'));
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/**
 * The table line of run `label` under `phase` (one line per run under each phase), with the line of
 * differences under it when the values are wide enough that the table puts them there.
 */
function tableLine(stdout: string, phase: string, label: string): string {
  const all = stripVTControlCharacters(stdout).split('\n');
  const start = all.findIndex((l) => l.startsWith(`${phase} `));
  expect(start).toBeGreaterThanOrEqual(0);
  const at = all.findIndex((l, i) => i >= start && (i === start ? l.slice(phase.length) : l).trimStart().startsWith(`${label} `));
  const next = all[at + 1] ?? '';
  const differencesUnder = /^\s+[+-][\d.]+pp|^\s+(×|from 0)/.test(next);
  return differencesUnder ? `${all[at]}  ${next.trim()}` : all[at]!;
}

// Two workers serve about 100 req/s; eight, about 400. The busy phase offers 150 req/s, so with two the
// queue grows until its 300 ms timeout turns requests away (504), and with eight it never does.
function profile(name: string, workers: number): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      `description: ${workers} workers at 20 ms each against 150 req/s.`,
      'speed: 1',
      'seed: 3',
      'mock:',
      `  fleet: { workers: ${workers}, serviceTime: exp:20ms }`,
      '  queue: { timeout: 300ms, monitorInterval: 20ms }',
      'phases:',
      '  - { name: warm, duration: 500ms, rate: 50/s }',
      '  - { name: busy, duration: 2s, rate: 150/s }',
      '',
    ].join('\n'),
  );
  return file;
}

describe('compare saved results', () => {
  it('puts two ramp --json results side by side, marks the better one, and writes the comparison JSON', async () => {
    const refused = await refusedPort();
    const a = join(dir, 'refused.json');
    const b = join(dir, 'plain.json');
    const ramA = await runCli([
      'ramp',
      '--target',
      `http://127.0.0.1:${refused}/`,
      '--phase',
      'warm:500ms:40',
      '--phase',
      'main:1s:60',
      '--json',
      a,
      '--quiet',
    ]);
    expect(ramA.code).toBe(0);
    server = await plainServer();
    const ramB = await runCli([
      'ramp',
      '--target',
      server.url,
      '--phase',
      'warm:500ms:40',
      '--phase',
      'main:1s:60',
      '--phase',
      'extra:500ms:40',
      '--json',
      b,
      '--quiet',
    ]);
    expect(ramB.code).toBe(0);

    const doc = join(dir, 'compare-saved.json');
    const res = await runCli(['compare', a, b, '--json', doc]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = res.stdout;
    // A run without a profile is a one-off, named so; the source is the file, cut at its start.
    expect(out).toMatch(/^A +one-off +(\S*\/)?refused\.json +1\.5s in .* wall · speed 1× · seed 1$/m);
    expect(out).toMatch(/^B +one-off +(\S*\/)?plain\.json +2s in .* wall · speed 1× · seed 1$/m);
    expect(tableLine(out, 'main', 'A')).toMatch(/ 0% .*ECONNREFUSED 100%$/);
    expect(tableLine(out, 'main', 'B')).toMatch(/ 100%( | .* )\+100pp ▲ /);
    // B's extra phase is not in A: dashes there, and no differences for B.
    expect(tableLine(out, 'extra', 'A')).toMatch(/^\s*(extra)?\s+A(\s+—){6}$/);
    expect(tableLine(out, 'extra', 'B')).not.toMatch(/[▲▼]/);
    expect(out).toMatch(/^timelines /m);

    const comparison = readJson<CompareDocument>(doc);
    expect(comparison.schema).toBe('incident-load/compare@2');
    expect(comparison.baseline).toBe('A');
    expect(comparison.runs.map((r) => [r.label, r.source])).toEqual([
      ['A', { kind: 'file', path: a }],
      ['B', { kind: 'file', path: b }],
    ]);
    expect(comparison.runs[0]!.result).toEqual(readJson<RunResult>(a));
    expect(comparison.runs[1]!.result).toEqual(readJson<RunResult>(b));
    expect(comparison.rows.map((r) => r.phase)).toEqual(['warm', 'main', 'extra', 'total']);
    const total = comparison.rows.at(-1)!;
    expect(total.cells[0]!.figures!.topFailure).toMatchObject({ outcome: 'ECONNREFUSED', share: 1 });
    expect(total.cells[1]!.differences.success).toMatchObject({ kind: 'points', value: 100, verdict: 'better' });
  });
});

describe('compare profiles', () => {
  it('runs them one after the other with one seed against their own mocks; the bigger fleet is marked better', async () => {
    const small = profile('two-workers', 2);
    const big = profile('eight-workers', 8);
    const doc = join(dir, 'compare-profiles.json');
    const res = await runCli(['compare', small, big, '--seed', '11', '--json', doc]);
    expect(res.code).toBe(0);
    // Progress without a terminal: a line as each run starts, then plain periodic lines.
    const a = res.stderr.indexOf('A (run 1 of 2) two-workers');
    const b = res.stderr.indexOf('B (run 2 of 2) eight-workers');
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThan(a);

    const out = res.stdout;
    expect(out).toMatch(/^A +two-workers +ran now +2\.5s in .* wall · speed 1× · seed 11$/m);
    expect(out).toMatch(/^B +eight-workers +ran now +2\.5s in .* wall · speed 1× · seed 11$/m);
    const busyA = tableLine(out, 'busy', 'A');
    const busyB = tableLine(out, 'busy', 'B');
    expect(busyA).toMatch(/ 504 [\d.]+%$/);
    // Success up: in two seconds the small fleet's queue is still filling, its 504s come in bursts, and
    // the verdict may call the rise real (▲) or within that noise (~); the latencies fell, but one run a
    // side cannot judge a percentile (↻: compare --repeat).
    expect(busyB).toMatch(/\+\d+pp [▲~] /);
    expect(busyB).toMatch(/×0\.[\d]+ ↻ .*×0\.[\d]+ ↻/); // p50 and p99 fell

    const comparison = readJson<CompareDocument>(doc);
    expect(comparison.runs.map((r) => [r.name, r.source, r.result!.profile.seed])).toEqual([
      ['two-workers', { kind: 'ran' }, 11],
      ['eight-workers', { kind: 'ran' }, 11],
    ]);
    // Same seed, same schedule: the same arrivals were offered to both.
    expect(comparison.runs[0]!.result!.total.offered).toBe(comparison.runs[1]!.result!.total.offered);
    const total = comparison.rows.at(-1)!.cells[1]!.differences;
    expect(total.success).toMatchObject({ direction: 'up', verdict: 'better' });
    expect(total.goodput).toMatchObject({ direction: 'up', verdict: 'better' });
    expect(total.p99).toMatchObject({ direction: 'down', verdict: 'better' });
  });

  it('Ctrl-C stops the run under way, skips the rest, prints and writes what was measured, exit 130', async () => {
    const doc = join(dir, 'compare-interrupted.json');
    const res = await runCli(['compare', profile('two-workers', 2), profile('eight-workers', 8), '--json', doc], {
      signal: { name: 'SIGINT', afterMs: 1_000, when: mockStarted },
    });
    expect(res.code).toBe(130);
    expect(res.stderr).toContain('interrupted');
    expect(res.stdout).toMatch(/^A +two-workers .*interrupted at [\d.]+(?:µs|ms|s) of 2\.5s$/m);
    expect(res.stdout).toMatch(/^B +eight-workers .*not run: compare was interrupted before its turn$/m);
    const comparison = readJson<CompareDocument>(doc);
    expect(comparison.runs[0]!.result!.interrupted).toBe(true);
    expect(comparison.runs[1]!.result).toBeNull();
  });
});

// The first case through the built CLI, as a user runs it (exit 2 is the process's exit code); the other
// runs the CLI's code in this process, as other checks of bad input do (a spawned Node costs half a second).
describe('compare: bad input, exit 2 before anything runs', () => {
  it('a .json that is not a result: names the file and what was expected', async () => {
    const notResult = join(dir, 'not-a-result.json');
    writeFileSync(notResult, JSON.stringify({ schema: 'something/else@2', phases: [] }));
    const res = await runCli(['compare', profile('two-workers', 2), notResult]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      `${notResult}: expected a saved result (JSON of schema "incident-load/result@2", as written by ramp --json) or a profile, got`,
    );
    expect(res.stderr).toContain('got schema "something/else@2"');
    expect(res.stderr).not.toContain('run 1 of');
    expect(res.stdout).toBe('');
  });

  it('an invalid profile after a good one: nothing runs', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'phases:\n  - { name: a, duration: fast, rate: 10/s }\n');
    const res = await runCliInProcess(['compare', profile('two-workers', 2), broken]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('broken.yaml');
    expect(res.stderr).not.toContain('run 1 of');
  });
});
