// `ramp --virtual` and `compare --virtual` through the built CLI: no socket is opened (the mock's model runs
// in process), every flag that means nothing in virtual time is refused before anything runs, naming it,
// and the result and every report say the run was simulated. Two processes given the same profile and
// seed write the same result, bar startedAt and wallMs; the round trip (--rtt) is paid by every request.
// Refusals run the CLI's code in this process (runCliInProcess): a spawned Node costs half a second each.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/run-result.js';
import { runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-virtual-'));
const file = (name: string): string => join(dir, name);
const read = (name: string): RunResult => JSON.parse(readFileSync(file(name), 'utf8')) as RunResult;
/** The result without what may differ between two runs of the same profile and seed. */
const comparable = (r: RunResult): unknown => ({ ...r, startedAt: undefined, wallMs: undefined });

describe('ramp --virtual', () => {
  it('runs the quickstart in process, marks the result, and every report says it was simulated', async () => {
    const res = await runCli(
      ['ramp', '--virtual', '--no-progress', '--json', file('qs.json'), '--html', file('qs.html'), '--summary-md', file('qs.md'), '--junit', file('qs.xml')],
      { timeoutMs: 60_000 },
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const result = read('qs.json');
    expect(result.profile.clock).toBe('virtual');
    expect(result.profile.rttMs).toBe(0.2);
    expect(result.profile.speed).toBe(1);
    expect(result.profile.target).toBe('mock (in process)');
    // The quickstart's shrink-fleet at 15 s, applied by the model's own injector at its time.
    expect(result.faults).toEqual([{ at: 15_000, fault: 'shrink-fleet', params: { workers: 4 } }]);
    expect(result.phases.map((p) => p.offered)).toEqual([300, 1800, 1400]);
    // No generator to fall behind: every request sent exactly when intended.
    for (const p of result.phases) expect(p.sendLagMs!.max).toBe(0);
    // The mock's state at every window's end, as over HTTP.
    expect(result.timeline.every((w) => w.mock !== undefined)).toBe(true);
    expect(result.timeline.at(-1)!.mock!.workers).toBe(4);
    expect(res.stdout).toMatch(/^time {4}25s of incident time, simulated in .+ \(virtual time, round trip 200µs\)$/m);
    expect(res.stdout).not.toMatch(/^ready /m);
    expect(readFileSync(file('qs.html'), 'utf8')).toContain('simulated in');
    expect(readFileSync(file('qs.md'), 'utf8')).toContain('of incident time, virtual time, seed 1)');
  }, 90_000);

  it('gives the same result in two processes, bar startedAt and wallMs', async () => {
    for (const name of ['a.json', 'b.json']) {
      const res = await runCli(['ramp', 'retry-storm', '--virtual', '--quiet', '--json', file(name)], { timeoutMs: 60_000 });
      expect(res.code).toBe(0);
    }
    expect(comparable(read('a.json'))).toEqual(comparable(read('b.json')));
  }, 120_000);

  it('charges every request the round trip: --rtt 50ms adds 50ms to a constant service time', async () => {
    writeFileSync(
      file('constant.yaml'),
      `name: constant
phases:
  - { name: a, duration: 10s, rate: 10/s }
mock:
  fleet: { workers: 8, serviceTime: 100ms }
`,
    );
    const run = async (rtt: string, name: string): Promise<RunResult> => {
      const res = await runCli(['ramp', file('constant.yaml'), '--virtual', '--quiet', '--rtt', rtt, '--json', file(name)], { timeoutMs: 60_000 });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      return read(name);
    };
    const near = await run('1ms', 'near.json');
    const far = await run('51ms', 'far.json');
    expect(near.phases[0]!.ok).toBe(100);
    // HDR buckets at this precision are well under a millisecond wide at 100-150 ms.
    expect(near.phases[0]!.okLatencyMs!.max).toBeCloseTo(101, 0);
    expect(far.phases[0]!.okLatencyMs!.min).toBeCloseTo(151, 0);
    expect(far.phases[0]!.okLatencyMs!.max).toBeCloseTo(151, 0);
  }, 120_000);

  it.each([
    [['--target', 'http://127.0.0.1:9/'], '--target'],
    [['--via-proxy'], '--via-proxy'],
    [['--control', 'http://127.0.0.1:9/'], '--control'],
    [['--segment', '0/2'], '--segment'],
    [['--workers', '2'], '--workers'],
    [['--start-at', new Date(Date.now() + 60_000).toISOString()], '--start-at'],
    [['--segment', '0/2', '--barrier', '127.0.0.1:9', '--barrier-token-file', '/dev/null'], '--segment'],
    [['--speed', '10'], '--speed'],
  ])('refuses %j with exit 2, naming %s, before anything runs', async (flags, named) => {
    const res = await runCliInProcess(['ramp', '--virtual', ...flags, '--json', file('refused.json')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${named} cannot go with --virtual`);
    expect(() => readFileSync(file('refused.json'))).toThrow();
  });

  it('refuses --rtt without --virtual, and a round trip of zero (closed users would loop at one instant)', async () => {
    const without = await runCliInProcess(['ramp', '--rtt', '1ms']);
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('--rtt is the round trip of a virtual run: it goes with --virtual');
    const zero = await runCliInProcess(['ramp', '--virtual', '--rtt', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--rtt: expected a duration above zero');
  });

  it('refuses a profile whose target is a URL, naming the profile and its target', async () => {
    writeFileSync(file('remote.yaml'), 'name: remote\ntarget: http://127.0.0.1:9/\nphases:\n  - { name: a, duration: 1s, rate: 1/s }\n');
    const res = await runCliInProcess(['ramp', file('remote.yaml'), '--virtual']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`--virtual simulates the bundled mock's model, and profile ${file('remote.yaml')} targets http://127.0.0.1:9/`);
  });
});

describe('compare --virtual', () => {
  it('judges a replay against its twin in virtual time: the twin recovers, the storm does not', async () => {
    const res = await runCli(
      ['compare', 'retry-storm', 'retry-storm-remediated', '--virtual', '--no-progress', '--fail-on', 'aftermath: success -1pp', '--json', file('cmp.json')],
      {
        timeoutMs: 60_000,
      },
    );
    // B is better than A: no rule breaks.
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('simulated in');
    const doc = JSON.parse(readFileSync(file('cmp.json'), 'utf8')) as { runs: { result: RunResult }[] };
    expect(doc.runs.map((r) => r.result.profile.clock)).toEqual(['virtual', 'virtual']);
    const aftermath = (r: RunResult): number => r.phases.find((p) => p.name === 'aftermath')!.successRatio;
    expect(aftermath(doc.runs[0]!.result)).toBe(0);
    expect(aftermath(doc.runs[1]!.result)).toBeGreaterThan(0.4);
  }, 90_000);

  it('refuses --speed with --virtual', async () => {
    const res = await runCliInProcess(['compare', 'smoke', 'smoke', '--virtual', '--speed', '2']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--speed cannot go with --virtual');
  });
});
