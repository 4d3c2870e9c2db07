// `incident-load report` on bad input: a result of an older schema, a damaged file, a missing one, a
// comparison among results, and an --html that cannot be written: each exit 2 with the file (or flag)
// named, before anything is written. The results are the report fixture's (made by the real recorders),
// saved as ramp --json would save them. The first case of each kind and the first report rendered run the
// built CLI as a user would (exit codes are the process's); the others run the CLI's code in this process
// (a spawned Node costs half a second each).
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildComparison } from '../../src/report/compare/comparison.js';
import { compareDocument } from '../../src/report/compare/document.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from '../report/run-fixture.js';
import { runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-report-cli-'));
const at = (name: string): string => join(dir, name);
const result = simulateRun(RAMP_WITH_FAILING_SURGE);
writeFileSync(at('run.json'), JSON.stringify(result));
writeFileSync(at('old.json'), JSON.stringify({ ...result, schema: 'incident-load/result@1' }));
writeFileSync(at('cut.json'), JSON.stringify(result).slice(0, 5_000));
writeFileSync(at('edited.json'), JSON.stringify({ ...result, total: { ...result.total, ok: result.total.offered + 1 } }));
const comparison = buildComparison([
  { name: result.profile.name, source: { kind: 'ran' }, result },
  { name: result.profile.name, source: { kind: 'ran' }, result },
]);
writeFileSync(at('compare.json'), JSON.stringify(compareDocument(comparison, [result, result], '0.1.0')));

describe('incident-load report: bad input is exit 2, with the file named, and nothing written', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'a result of an older schema',
      ['old.json'],
      // (report reads results and comparisons, never profiles: the message does not offer one)
      /old\.json: expected a saved result \(JSON of schema "incident-load\/result@2", as written by ramp --json\), got schema "incident-load\/result@1" \(written by an older incident-load/,
    ],
    ['a file cut short', ['cut.json'], /cut\.json: not valid JSON/],
    ['a result whose counts contradict each other', ['edited.json'], /edited\.json: schema "incident-load\/result@2" but total: expected ok \+ failed/],
    ['a file that is not there', ['missing.json'], /missing\.json: no such file/],
    ['a comparison given with results', ['run.json', 'compare.json'], /compare\.json: a comparison \(compare --json\) is reported alone/],
  ];
  for (const [i, [what, files, message]] of cases.entries()) {
    it(what, async () => {
      const res = await (i === 0 ? runCli : runCliInProcess)(['report', ...files.map(at), '--html', at(`${what.replace(/\W+/g, '-')}.html`)]);
      expect(res.stderr).toMatch(message);
      expect(res.code).toBe(2);
      expect(res.stdout).toBe('');
      expect(readdirSync(dir).filter((f) => f.endsWith('.html'))).toEqual([]);
    });
  }

  it('an --html in a directory that does not exist, or "-"', async () => {
    const missing = await runCliInProcess(['report', at('run.json'), '--html', at('nowhere/report.html')]);
    expect(missing.stderr).toMatch(/--html .*nowhere\/report\.html: the directory .* does not exist/);
    expect(missing.code).toBe(2);
    const dash = await runCliInProcess(['report', at('run.json'), '--html', '-']);
    expect(dash.stderr).toMatch(/--html: expected a file name/);
    expect(dash.code).toBe(2);
  });
});

describe('incident-load report', () => {
  it('renders a result, a comparison document and several results, exit 0', async () => {
    const one = await runCli(['report', at('run.json'), '--html', at('one.html')]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^incident-load 0\.1\.0 · checkout-surge\n/);
    expect(existsSync(at('one.html'))).toBe(true);
    const doc = await runCliInProcess(['report', at('compare.json'), '--quiet', '--html', at('doc.html')]);
    expect([doc.code, doc.stdout, doc.stderr]).toEqual([0, '', '']);
    const two = await runCliInProcess(['report', at('run.json'), at('run.json')]);
    expect(two.stdout).toMatch(/^incident-load compare · 2 runs · differences against A/);
    // Failed thresholds are shown as judged, not enforced again.
    expect(result.thresholds.some((t) => !t.ok)).toBe(true);
    expect(two.code).toBe(0);
  });
});
