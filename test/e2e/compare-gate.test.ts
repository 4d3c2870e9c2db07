// The compare gate through the built CLI against the bundled mock's model, in virtual time (compare
// --virtual): exact, so the same verdicts on any machine, and each command takes a few seconds. On the
// regression it must not miss: retry-storm-remediated (A) against retry-storm (B), the same traffic with the
// retry policy undone. After the spike the remediated client recovers in the aftermath (about half its
// requests succeed) and the storm's never does (0%): a collapse in a phase that a fault makes
// non-stationary by design, which one run a side must call real. The bundled profiles are run without
// their last phase ("later", 3 minutes in which the remediated client is back at 100% and the storm's at
// 0%), so that the aftermath's collapse is the one the gate must catch and the total is diluted by the
// steady phase. That compare runs profiles over HTTP, end to end, is test/e2e/compare.test.ts's
// ("compare profiles").
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompareDocument } from '../../src/report/compare/document.js';
import type { Metric } from '../../src/report/compare/difference.js';
import { runCli } from '../support/cli.js';
import { writeFleetProfile } from '../support/fleet-profile.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-gate-'));

/** The bundled profile with its phases shortened as above, written to the scratch directory. */
function shortened(name: string): string {
  const bundled = readFileSync(new URL(`../../profiles/${name}.yaml`, import.meta.url), 'utf8');
  const file = join(dir, `${name}.yaml`);
  const phases = [
    'phases:',
    '  - { name: steady,    duration: 2m,  rate: 12/s }',
    '  - { name: spike,     duration: 30s, rate: 40/s }',
    '  - { name: aftermath, duration: 3m,  rate: 12/s }',
    '',
  ];
  writeFileSync(file, `${bundled.slice(0, bundled.indexOf('\nphases:'))}\n${phases.join('\n')}`);
  return file;
}

describe('compare --fail-on on the retry-storm regression', () => {
  it('fails the gate (exit 1) on the aftermath collapse, judges the total, and keeps every interval within its range', async () => {
    const json = join(dir, 'storm.json');
    const res = await runCli(
      [
        'compare',
        shortened('retry-storm-remediated'),
        shortened('retry-storm'),
        '--virtual',
        '--fail-on',
        'aftermath: success -1pp',
        '--fail-on',
        'total: success -1pp',
        '--fail-on',
        'total: goodput -5%',
        '--json',
        json,
        '--junit',
        join(dir, 'storm.xml'),
        '--no-progress',
        '--no-color',
      ],
      { timeoutMs: 60_000 },
    );
    expect(res.code, res.stderr + res.stdout).toBe(1);
    // Exactly what the gate says, and nothing more: the aftermath's collapse broken; the total's success
    // (-23 points) and goodput (×0.59), diluted by the steady phase, within the runs' noise at the gate's 99%.
    expect(res.stderr.trim().split('\n')).toEqual([
      'incident-load: --fail-on aftermath: success -1pp: B aftermath: success -52pp against A (margin -1pp), a real difference: broken',
    ]);
    // "total:" rules are accepted and judged on the total row alone (broken or not, at the gate's 99%).
    const xml = readFileSync(join(dir, 'storm.xml'), 'utf8');
    expect(xml).toMatch(/<testsuites name="incident-load compare retry-storm-remediated vs retry-storm" tests="\d+" failures="1"/);
    expect(xml).toMatch(/<testcase name="total: success -1pp \(B\)" classname="incident-load\.compare\.total"/);
    expect(xml).toMatch(/<testcase name="total: goodput -5% \(B\)" classname="incident-load\.compare\.total"/);
    expect(xml).not.toMatch(/<testcase name="total: [^"]*" classname="incident-load\.compare\.(steady|spike|aftermath)"/);

    const doc = JSON.parse(readFileSync(json, 'utf8')) as CompareDocument;
    const row = (phase: string) => doc.rows.find((r) => r.phase === phase && r.class === undefined)!.cells[1]!;
    // The collapse: about half against none, "real", its interval within −100 … +100 points and below 0.
    const aftermath = row('aftermath');
    expect(aftermath.figures!.success).toBe(0);
    expect(doc.rows.find((r) => r.phase === 'aftermath')!.cells[0]!.figures!.success).toBeCloseTo(0.521, 3);
    expect(aftermath.differences.success!.significance).toMatchObject({ verdict: 'real', method: 'effective-count' });
    expect(aftermath.differences.success!.significance!.interval![1]).toBeLessThan(0);
    // Goodput to zero: a ratio, real, its interval from 0.
    expect(aftermath.differences.goodput!.significance).toMatchObject({ verdict: 'real' });
    expect(aftermath.differences.goodput!.significance!.interval![0]).toBe(0);
    // The total gets verdicts where it can: success and goodput judged; latency needs repeats.
    const total = row('total');
    // (At 95%, success within the runs' noise and goodput real, but neither beyond the gate's 99%: the
    // rules on the total held, above.)
    expect(total.differences.success!.significance!.verdict).toBe('noise');
    expect(total.differences.goodput!.significance!.verdict).toBe('real');
    expect(total.differences.p99!.significance!.verdict).toBe('needs-repeats');
    // Every interval anywhere within its figure's range.
    for (const r of doc.rows) {
      for (const cell of r.cells) {
        for (const [metric, d] of Object.entries(cell.differences) as [Metric, NonNullable<(typeof cell.differences)[Metric]>][]) {
          const interval = d.significance?.interval;
          if (!interval) continue;
          const [lo, hi] = interval.map((v) => v ?? Infinity) as [number, number];
          if (metric === 'success') {
            expect(lo, `${r.phase} ${metric}`).toBeGreaterThanOrEqual(-100);
            expect(hi, `${r.phase} ${metric}`).toBeLessThanOrEqual(100);
          } else expect(lo, `${r.phase} ${metric}`).toBeGreaterThanOrEqual(0);
          expect(lo).toBeLessThanOrEqual(hi);
        }
      }
    }
    // The table says it too: the collapse marked, not "~".
    expect(res.stdout).toMatch(/aftermath[^]*?-\d+pp ▼/);
  }, 60_000);
});

describe('compare --repeat', () => {
  it('runs each profile three times with seeds seed, seed+1, seed+2 and judges p50 and p99 between runs: a fleet halved breaks both', async () => {
    // test/support/fleet-profile.ts: 8 workers serve the load, 4 turn a fifth away and their median is
    // several times longer (the queue is full). Poisson arrivals and exponential service: each seed is
    // another run, so the three runs a side differ and the verdict is a judgement between runs.
    const json = join(dir, 'repeat.json');
    const res = await runCli(
      [
        'compare',
        writeFleetProfile(dir, 8),
        writeFleetProfile(dir, 4),
        '--virtual',
        '--repeat',
        '3',
        '--fail-on',
        'load: p50 +10%',
        '--fail-on',
        'load: p99 +10%',
        '--json',
        json,
        '--no-progress',
      ],
      { timeoutMs: 60_000 },
    );
    expect(res.code, res.stderr + res.stdout).toBe(1);
    expect(res.stderr.trim().split('\n')).toEqual([
      'incident-load: --fail-on load: p50 +10%: B load: p50 ×8.1 against A (margin +10%), a real difference: broken',
      'incident-load: --fail-on load: p99 +10%: B load: p99 ×2.2 against A (margin +10%), a real difference: broken',
    ]);
    expect(res.stdout).toMatch(/^A +fleet-8 .*\n.* 3 runs, seeds 11, 12, 13/m);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as CompareDocument;
    const runs = doc.runs.map((r) => [r.result!, ...(r.repeats ?? [])]);
    expect(runs.map((group) => group.map((x) => x.profile.seed))).toEqual([
      [11, 12, 13],
      [11, 12, 13],
    ]);
    // Each seed another run: three different arrival counts in the phase compared.
    for (const group of runs) expect(new Set(group.map((x) => x.phases[1]!.offered)).size).toBe(3);
    const load = doc.rows.find((r) => r.phase === 'load')!.cells[1]!;
    for (const metric of ['p50', 'p99'] as const)
      expect(load.differences[metric]!.significance).toMatchObject({ verdict: 'real', method: 'between-runs', runs: [3, 3] });
  }, 60_000);
});
