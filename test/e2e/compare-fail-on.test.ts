// `compare --fail-on` through the built CLI, against the bundled mock's model in virtual time (compare
// --virtual, ramp --virtual: exact, the same verdicts on any machine): exit 1 for a real regression beyond
// the margin (a fleet halved: success down, judged as counts with one run a side), p50 beyond its margin
// (several times: the queue is full) but not judged with one run a side (said on stderr, skipped in
// JUnit), 0 for the same profile rerun with another seed, 2 for a malformed rule before anything runs;
// and the JUnit and markdown files it writes say the same. That compare runs profiles over HTTP, end to
// end, is test/e2e/compare.test.ts's ("compare profiles").
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompareDocument } from '../../src/report/compare/document.js';
import type { RunResult } from '../../src/result/run-result.js';
import { runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { writeFleetProfile } from '../support/fleet-profile.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-fail-on-'));

// A fleet big enough (8 workers) or not (4) for the same traffic: test/support/fleet-profile.ts.
const profile = (workers: number): string => writeFleetProfile(dir, workers);

describe('compare --fail-on', () => {
  it('exits 1 on a real regression beyond the margin, and 0 for the same profile rerun with another seed', async () => {
    const doc = join(dir, 'halved.json');
    const junit = join(dir, 'halved.xml');
    const summary = join(dir, 'halved.md');
    const halved = await runCli(
      [
        'compare',
        profile(8),
        profile(4),
        '--virtual',
        '--fail-on',
        'load: p50 +10%',
        '--fail-on',
        'load: success -1pp',
        '--json',
        doc,
        '--junit',
        junit,
        '--summary-md',
        summary,
        '--no-progress',
      ],
      { timeoutMs: 60_000 },
    );
    expect(halved.code, halved.stderr).toBe(1);
    expect(halved.stderr.trim().split('\n')).toEqual([
      'incident-load: --fail-on load: success -1pp: B load: success -16pp against A (margin -1pp), a real difference: broken',
      'incident-load: --fail-on load: p50 +10%: not judged: B load: p50 ×8.5 against A (margin +10%), one run a side cannot judge p50 (compare --repeat 3 can): beyond the margin but not judged real, so not broken',
    ]);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="incident-load compare fleet-8 vs fleet-4" tests="2" failures="1"/);
    expect(xml).toMatch(/<skipped type="not-judged" message="B load: p50/);
    expect(readFileSync(summary, 'utf8')).toMatch(/^\*\*FAIL\*\* — 1 of 2 --fail-on checks broken/m);

    // The same profile again with another seed: the first run of the comparison, saved, against a rerun.
    const first = join(dir, 'seed-11.json');
    writeFileSync(first, JSON.stringify((JSON.parse(readFileSync(doc, 'utf8')) as CompareDocument).runs[0]!.result));
    const rerun = join(dir, 'seed-12.json');
    // (And ramp's own CI files, on the way: a threshold that holds and one that cannot.)
    const ramp = await runCli(
      [
        'ramp',
        profile(8),
        '--virtual',
        '--seed',
        '12',
        '--json',
        rerun,
        '--quiet',
        '--threshold',
        'load: success >= 90%',
        '--threshold',
        'p99 < 1ms',
        '--junit',
        join(dir, 'ramp.xml'),
        '--summary-md',
        join(dir, 'ramp.md'),
      ],
      { timeoutMs: 60_000 },
    );
    expect(ramp.code, ramp.stderr).toBe(1);
    expect(readFileSync(join(dir, 'ramp.xml'), 'utf8')).toMatch(
      /<testsuite name="fleet-8 · run" tests="1" failures="1"[^]*<testsuite name="fleet-8 · load" tests="1" failures="0"/,
    );
    expect(readFileSync(join(dir, 'ramp.md'), 'utf8')).toMatch(/^\*\*FAIL\*\* — 1 of 2 thresholds failed/m);
    // Margins a rerun of a healthy fleet does not reach (its median moves by about a tenth, its success
    // not at all): a rule flaps only if noise is both that large and judged real, which is what --fail-on
    // is for. Another seed is another run (other Poisson arrivals, other service times), so the rules
    // are judged on a real difference between reruns, not on two copies of one run.
    const offered = (file: string): number => (JSON.parse(readFileSync(file, 'utf8')) as RunResult).total.offered;
    expect(offered(rerun)).not.toBe(offered(first));
    const same = await runCli([
      'compare',
      first,
      rerun,
      '--fail-on',
      'p50 +20%',
      '--fail-on',
      'success -5pp',
      '--fail-on',
      'goodput -20%',
      '--junit',
      join(dir, 'same.xml'),
    ]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/seeds differ \(11, 12\)/);
    expect(readFileSync(join(dir, 'same.xml'), 'utf8')).toMatch(/tests="9" failures="0"/);
  }, 90_000);

  it.each([
    ['p99 10%', /--fail-on "p99 10%": expected a rule such as "p99 \+10%"/],
    ['p99 -10%', /--fail-on "p99 -10%": p99 gets worse as it rises: expected \+10%/],
    ['success -1%', /success moves in percentage points/],
    ['latency +5%', /unknown metric "latency"/],
    ['nosuch: p99 +10%', /no phase "nosuch" in the runs \(phases: fill, load; "total:" for the whole run\)/],
  ])('exits 2 for a malformed rule, %s, naming the flag and what it expected, before anything runs', async (rule, message) => {
    const res = await runCliInProcess(['compare', profile(8), profile(4), '--fail-on', rule]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).not.toMatch(/run 1 of 2/);
  });

  it('exits 2 for --junit or --summary-md that cannot be written, before anything runs', async () => {
    const res = await runCliInProcess(['compare', profile(8), profile(4), '--junit', join(dir, 'no', 'such', 'dir.xml')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--junit .*dir\.xml: the directory .* does not exist/);
    const dash = await runCliInProcess(['ramp', '--phase', 'a:100ms:1', '--summary-md', '-']);
    expect(dash.code).toBe(2);
    expect(dash.stderr).toMatch(/--summary-md: expected a file name/);
  });
});
