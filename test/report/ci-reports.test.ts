// The reports CI reads, on results made by the real recorders: JUnit XML validated by libxml2 (xmllint,
// as WebAssembly) against the schema Jenkins' xunit plugin checks JUnit reports with (test/fixtures/
// junit-10.xsd), and the markdown summary parsed by a markdown library (marked) into real tables.
import { formatDuration } from '../../src/core/units.js';
import { readFileSync } from 'node:fs';
import { marked, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { buildComparison } from '../../src/report/compare/comparison.js';
import { judgeFailOn, parseFailOn, type FailOnCheck } from '../../src/report/compare/fail-on.js';
import { renderCompareJunit, renderRunJunit } from '../../src/report/junit/junit.js';
import { renderCompareSummary, renderRunSummary } from '../../src/report/markdown/summary.js';
import type { RunResult } from '../../src/result/run-result.js';
import { steadyPhase, virtualRun } from '../support/virtual-run.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from './run-fixture.js';

const XSD = readFileSync(new URL('../fixtures/junit-10.xsd', import.meta.url), 'utf8');

async function validate(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: { fileName: 'report.xml', contents: xml }, schema: { fileName: 'junit-10.xsd', contents: XSD } });
  return result.errors.map((e) => e.rawMessage);
}

const failing = simulateRun(RAMP_WITH_FAILING_SURGE); // thresholds: 'p99 < 30s', 'success >= 95%', 'surge: p99 < 10s', ...
// Steady runs of the product in virtual time (test/support/virtual-run.ts).
const steady = (workers: number, seed = 1): Promise<RunResult> =>
  virtualRun({
    name: `fleet-${workers}`,
    mock: { fleet: { workers, serviceTime: 'exp:100ms' } },
    phases: [steadyPhase('steady', 20, 60)],
    client: { arrivals: 'poisson' },
    seed,
  });
// Three runs a side (seeds 1-3): what a verdict on p99 needs (one run a side is "needs-repeats").
const repeated = async (workers: number) => {
  const [result, ...repeats] = await Promise.all([1, 2, 3].map((seed) => steady(workers, seed)));
  return { name: `fleet-${workers}`, source: { kind: 'ran' as const }, result: result!, repeats };
};
const [fleet8, fleet4] = [await repeated(8), await repeated(4)];

describe('--junit', () => {
  it("a run's thresholds: valid JUnit XML, a suite per phase and one for the run, a failure with actual and limit", async () => {
    const xml = renderRunJunit(failing);
    expect(await validate(xml)).toEqual([]);
    const suites = [...xml.matchAll(/<testsuite name="([^"]+)" tests="(\d+)" failures="(\d+)"/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    expect(suites.map((s) => s[0])).toEqual(['checkout-surge · run', 'checkout-surge · faults', 'checkout-surge · warmup', 'checkout-surge · surge']);
    // A case per threshold, and one per fault (applied by the bundled mock: no failure).
    expect(failing.faults.length).toBeGreaterThan(0);
    expect(suites.reduce((acc, s) => acc + (s[1] as number), 0)).toBe(failing.thresholds.length + failing.faults.length);
    expect(xml).toContain(`<testcase name="fault at ${formatDuration(failing.faults[0]!.at)}: ${failing.faults[0]!.fault}`);
    expect(xml).toMatch(/\(applied by the bundled mock\)" classname="incident-load\.checkout-surge\.faults"\/>/);
    const failed = failing.thresholds.filter((t) => !t.ok);
    expect(failed.length).toBeGreaterThan(0);
    expect((xml.match(/<failure /g) ?? []).length).toBe(failed.length);
    // The surge's p99 threshold failed: its message has what was measured and the limit.
    // The schema is really applied: a suite without its counts is refused.
    expect(await validate(xml.replace(/(<testsuite name="[^"]*") tests="\d+"/, '$1'))).toEqual([expect.stringMatching(/'tests' is required/)]);
    expect(xml).toMatch(
      /<testcase name="surge: p99 &lt; 10s" classname="incident-load\.checkout-surge\.surge">\s*<failure type="threshold" message="actual [\d.]+s, limit p99 &lt; 10s">/,
    );
  });

  it('a broken or interrupted run adds an error case, and names and messages are escaped into valid XML', async () => {
    const cut = simulateRun({ ...RAMP_WITH_FAILING_SURGE, interruptAt: 200_000 });
    const xml = renderRunJunit({ ...cut, profile: { ...cut.profile, name: 'a<b & "c"' }, thresholds: [{ expr: 'x: p99 < 1s', ok: false, actual: NaN }] });
    expect(await validate(xml)).toEqual([]);
    expect(xml).toMatch(/<error type="run" message="the run was interrupted/);
    expect(xml).toContain('name="a&lt;b &amp; &quot;c&quot; · run"');
    expect(xml).toContain('message="actual no data, limit p99 &lt; 1s"');
  });

  it("compare's --fail-on rules: valid JUnit XML, a case per rule, phase and later run, a failure where broken", async () => {
    const comparison = buildComparison([fleet8, fleet4]);
    const checks = judgeFailOn(comparison, [parseFailOn('p99 +10%'), parseFailOn('steady: goodput -50%')]);
    const xml = renderCompareJunit('fleet-8 vs fleet-4', checks, '2026-12-01T00:00:00.000Z', 1234);
    expect(await validate(xml)).toEqual([]);
    expect(checks.map((c) => `${c.rule} ${c.phase} ${c.broken}`)).toEqual(['p99 +10% steady true', 'p99 +10% total true', 'steady: goodput -50% steady false']);
    expect((xml.match(/<failure /g) ?? []).length).toBe(2);
    expect(xml).toContain('<testcase name="p99 +10% (B)" classname="incident-load.compare.steady">');
  });
});

/** The tables marked finds in a markdown document. */
function tables(markdown: string): Tokens.Table[] {
  return marked.lexer(markdown).filter((t): t is Tokens.Table => t.type === 'table');
}

describe('--summary-md', () => {
  it("a run's summary: a verdict line, then the phase table and the thresholds as markdown tables", () => {
    const md = renderRunSummary(failing);
    const failed = failing.thresholds.filter((t) => !t.ok).length;
    expect(md.split('\n')[2]).toMatch(new RegExp(`^\\*\\*FAIL\\*\\* — ${failed} of ${failing.thresholds.length} thresholds failed`));
    const [phases, thresholds] = tables(md);
    expect(phases!.header.map((h) => h.text)).toEqual(['phase', 'offered', 'ok', 'failed', 'dropped', 'success', 'p50', 'p99', 'send lag p99']);
    expect(phases!.rows.map((r) => r[0]!.text)).toEqual(['warmup', 'surge', 'cooldown', 'total']);
    expect(phases!.rows[3]![1]!.text).toBe(String(failing.total.offered));
    expect(thresholds!.header.map((h) => h.text)).toEqual(['threshold', 'measured', 'result']);
    // As written, each mark escaped (a "\\<" shows as "<"): read back, the rules as they are.
    expect(thresholds!.rows.map((r) => r[0]!.text.replace(/\\(.)/g, '$1'))).toEqual(failing.thresholds.map((t) => t.expr));
    expect(thresholds!.rows.filter((r) => r[2]!.text === '**fail**')).toHaveLength(failed);
  });

  it('shows markdown and HTML from names, thresholds and failure messages as text: no image, link or tag on the CI page', () => {
    const payload = `</script><script>alert('name')</script><img src=x onerror=alert(1)>|x|![i](https://evil.example/i.png)[l](https://evil.example/)<!-- www.evil.example a@evil.example *em* _em_ \`code\``;
    const hostile = {
      ...failing,
      profile: { ...failing.profile, name: payload },
      phases: failing.phases.map((p) => ({ ...p, name: payload })),
      thresholds: failing.thresholds.map((t) => ({ ...t, expr: payload })),
      failure: { kind: 'mock-exited' as const, atMs: 1000, message: payload },
    };
    const html = marked.parse(renderRunSummary(hostile), { async: false });
    expect(html).not.toMatch(/<(img|a|script|em|code)\b/i);
    expect(html).not.toContain('<!--');
    // What the page shows is the text itself.
    expect(html).toContain('![i](https://evil.example/i.png)');
  });

  it('escapes "|" in a cell so that it stays one cell', () => {
    const md = renderRunSummary({ ...failing, phases: failing.phases.map((p, i) => (i === 0 ? { ...p, name: 'a|b' } : p)) });
    // Written "a\|b"; read back as one cell holding "a|b".
    expect(md).toContain('| a\\|b |');
    expect(tables(md)[0]!.rows[0]![0]!.text).toBe('a|b');
    expect(tables(md)[0]!.rows[0]).toHaveLength(9);
  });

  it("compare's summary: the comparison with each difference's verdict, and the --fail-on rules", () => {
    const comparison = buildComparison([fleet8, fleet4]);
    const checks: FailOnCheck[] = judgeFailOn(comparison, [parseFailOn('p99 +10%')]);
    const md = renderCompareSummary(comparison, checks);
    expect(md).toMatch(/\*\*FAIL\*\* — 2 of 2 --fail-on checks broken/);
    const [table, rules] = tables(md);
    expect(table!.header.map((h) => h.text)).toEqual(['phase', 'run', 'success', 'goodput', 'p50', 'p99', 'attempts/request']);
    expect(table!.rows.map((r) => `${r[0]!.text} ${r[1]!.text}`)).toEqual(['steady A', 'steady B', 'total A', 'total B']);
    expect(table!.rows[1]![5]!.text).toMatch(/×[\d.]+ ▲$/);
    expect(rules!.rows.map((r) => r[4]!.text)).toEqual(['**broken**', '**broken**']);
  });
});
