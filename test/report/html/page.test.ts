// The HTML report as a document: one file with nothing to fetch, a CSP that allows exactly its own inline
// scripts, every text escaped (a profile named like a script tag stays a name), the data embedded so that
// it parses back to what was computed, and the tables showing the result's figures. The browser test
// (test/browser/) opens such files in Chromium; this checks the text.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildComparison } from '../../../src/report/compare/comparison.js';
import { compareDocument } from '../../../src/report/compare/document.js';
import { toSavedComparison, verdictKey } from '../../../src/report/compare/saved-document.js';
import { renderCompareHtml } from '../../../src/report/html/compare-page.js';
import { runCharts } from '../../../src/report/html/data/run-charts.js';
import { withData } from '../../../src/report/html/document.js';
import { embedJson, escapeHtml } from '../../../src/report/html/escape.js';
import { renderRunHtml } from '../../../src/report/html/run-page.js';
import { formatDuration } from '../../../src/core/units.js';
import { UsageError } from '../../../src/core/errors.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from '../run-fixture.js';

const result = simulateRun(RAMP_WITH_FAILING_SURGE);
const fixed = simulateRun({ ...RAMP_WITH_FAILING_SURGE, name: 'fixed', shrink: undefined, routersDown: undefined, faults: [] });
const html = renderRunHtml(result);

const scripts = (page: string): { attrs: string; body: string }[] =>
  [...page.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1]!, body: m[2]! }));
const embedded = (page: string): unknown => JSON.parse(scripts(page).find((s) => s.attrs.includes('application/json'))!.body);

describe('the document', () => {
  it('has three scripts: the data (JSON), the chart library and its own', () => {
    const found = scripts(html);
    expect(found.map((s) => s.attrs)).toEqual([' type="application/json" id="report-data"', '', '']);
    expect(found[1]!.body).toContain('uPlot');
    expect(found[2]!.body).toContain('report-data');
  });

  it('allows by its CSP exactly the two inline scripts, by hash, and nothing from anywhere', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    const hashes = scripts(html)
      .filter((s) => s.attrs === '')
      .map((s) => `'sha256-${createHash('sha256').update(s.body, 'utf8').digest('base64')}'`);
    expect(csp).toBe(`default-src 'none'; script-src ${hashes.join(' ')}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`);
  });

  it('refers to nothing outside itself: no src, no href, no url(), no @import', () => {
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    // The only addresses in it are words in the text (the library's licence header, the target).
    const addresses = html.match(/\b[a-z]+:\/\/[^\s"'<)]+/gi) ?? [];
    for (const a of addresses) expect(a).toMatch(/^(https:\/\/github\.com\/leeoniya\/uPlot|http:\/\/127\.0\.0\.1:41234)/);
  });

  it('embeds the charts with data, as computed', () => {
    expect(embedded(html)).toEqual(JSON.parse(JSON.stringify({ charts: withData(runCharts(result)) })));
    for (const chart of withData(runCharts(result))) expect(html).toContain(`id="chart-${chart.id}"`);
  });

  it('keeps its size bounded by the windows and phases, not by the requests', () => {
    // 600 s at 2-12 req/s here; a 4-hour replay has at most 400 windows (record/timeline.ts).
    expect(html.length).toBeLessThan(150_000);
  });
});

describe('escaping', () => {
  const hostile = '</script><script>alert(1)</script><!--';
  const page = renderRunHtml({
    ...result,
    profile: { ...result.profile, name: hostile },
    phases: result.phases.map((p, i) => (i === 0 ? { ...p, name: hostile } : p)),
  });

  it('a profile or phase named like a script tag stays text, in the page and in the data', () => {
    expect(scripts(page)).toHaveLength(3);
    expect(page).not.toContain('<script>alert');
    expect(page).toContain(escapeHtml(hostile));
    const data = embedded(page) as { charts: { bands: { label: string }[] }[] };
    expect(data.charts[0]!.bands[0]!.label).toBe(hostile);
  });

  it('writes JSON with <, > and & as escapes, which parses back unchanged', () => {
    const value = { a: '</script>', b: '<!-- & -->', c: '\u2028\u2029' };
    const text = embedJson(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('the run report', () => {
  const cell = (page: string, table: string, row: string, field: string): string => {
    const t = new RegExp(`<table id="${table}"[^>]*>([\\s\\S]*?)</table>`).exec(page)![1]!;
    const r = new RegExp(`<tr data-row="${row}"[^>]*>([\\s\\S]*?)</tr>`).exec(t)![1]!;
    return new RegExp(`data-field="${field}"[^>]*><span class="v">([^<]*)</span>`).exec(r)![1]!;
  };

  it("shows each phase's figures as the result has them", () => {
    for (const p of [...result.phases, result.total]) {
      expect(cell(html, 'phase-table', p.name, 'offered')).toBe(String(p.offered));
      expect(cell(html, 'phase-table', p.name, 'ok')).toBe(String(p.ok));
      expect(cell(html, 'phase-table', p.name, 'p99')).toBe(formatDuration(p.okLatencyMs!.p99));
    }
  });

  it('shows every outcome and every threshold, held or failed', () => {
    for (const status of Object.keys(result.total.statuses)) expect(cell(html, 'outcomes-table', status, 'total')).toBe(String(result.total.statuses[status]));
    for (const t of result.thresholds) expect(html).toContain(`data-row="${escapeHtml(t.expr)}" class="${t.ok ? 'pass' : 'fail'}"`);
    expect(result.thresholds.some((t) => !t.ok)).toBe(true);
    expect(html).toMatch(
      /<section class="verdict fail" id="verdict" aria-label="verdict">\n<p class="verdict-line"><span class="verdict-mark">FAIL<\/span>thresholds: \d of 6 failed<\/p>/,
    );
  });

  it('puts the verdict first, before any chart, with each failing rule and what it measured', () => {
    expect(html.indexOf('id="verdict"')).toBeLessThan(html.indexOf('<figure class="chart"'));
    const failed = result.thresholds.filter((t) => !t.ok);
    const listed = [...html.matchAll(/<li data-row="([^"]*)"><code>[^<]*<\/code> <span class="actual">actual ([^<]*)<\/span><\/li>/g)].map((m) => m[1]);
    expect(listed).toEqual(failed.map((t) => escapeHtml(t.expr)));
    const held = renderRunHtml({ ...result, thresholds: result.thresholds.filter((t) => t.ok) });
    expect(held).toMatch(/<section class="verdict pass" id="verdict"[^]*<span class="verdict-mark">PASS<\/span>thresholds: all \d held/);
    expect(held).not.toContain('<ul class="verdict-failed">');
    expect(renderRunHtml({ ...result, thresholds: [] })).toMatch(/<span class="verdict-mark">DONE<\/span>no thresholds to judge/);
    expect(renderRunHtml({ ...result, interrupted: true })).toMatch(/<section class="verdict interrupted"/);
  });

  it("shows a merged run's segments", () => {
    const merged = renderRunHtml({
      ...result,
      segments: [0, 1].map((index) => ({
        index,
        offered: 10 + index,
        achieved: 2,
        successRatio: 0.5,
        p99: 100,
        sendLagP99: null,
        startSkewMs: 3,
        interrupted: index === 1,
      })),
    });
    expect(merged).toContain('<section id="segments">');
    expect(cell(merged, 'segments-table', '1', 'offered')).toBe('11');
    expect(merged).toContain('interrupted');
  });
});

describe('the comparison report', () => {
  const inputs = [
    { name: result.profile.name, source: { kind: 'ran' as const }, result },
    { name: fixed.profile.name, source: { kind: 'file' as const, path: 'fixed.json' }, result: fixed },
  ];
  const comparison = buildComparison(inputs);

  it('shows each run and the differences from the baseline', () => {
    const page = renderCompareHtml(comparison, [result, fixed], '0.1.0');
    expect(page).toContain('<table id="comparison-table">');
    expect(page).toContain('data-row="surge/B"');
    // The surge's success gain is judged real by the comparison's bootstrap: the arrow and the verdict.
    expect(page).toMatch(/<span class="sub good verdict-real">\+\d+pp ▲ · real<\/span>/);
    expect((embedded(page) as { charts: { id: string }[] }).charts.map((c) => c.id)).toContain('compare-ok');
  });

  it("shows a difference's significance verdict when the comparison has one, and nothing when not", () => {
    const unjudged = structuredClone(comparison);
    for (const row of unjudged.rows) for (const cell of row.cells) for (const d of Object.values(cell.differences)) if (d) delete d.significance;
    expect(renderCompareHtml(unjudged, [result, fixed], '0.1.0')).not.toMatch(/ · (real|noise)/);
    const judged = structuredClone(unjudged);
    Object.assign(judged.rows[1]!.cells[1]!.differences.success!, { significance: { verdict: 'real', confidence: 0.95 } });
    expect(renderCompareHtml(judged, [result, fixed], '0.1.0')).toMatch(/<span class="sub good verdict-real">\+\d+pp ▲ · real<\/span>/);
  });

  it('reads a saved comparison document back, verdicts included, and names a damaged run', () => {
    const document = JSON.parse(JSON.stringify(compareDocument(comparison, [result, fixed], '0.1.0'))) as ReturnType<typeof compareDocument>;
    (document.rows[3]!.cells[1]!.differences.p99 as unknown as Record<string, unknown>).significance = { verdict: 'noise' };
    (document.rows[0]!.cells[1]!.differences.p50 as unknown as Record<string, unknown>).significance = { verdict: '<b>x</b>' };
    const saved = toSavedComparison(document, 'c.json');
    expect(saved.inputs.map((i) => i.source)).toEqual([{ kind: 'ran' }, { kind: 'file', path: 'fixed.json' }]);
    // Every difference of the document carries a verdict; the one edited is read as written, the one
    // that is not a short word is left out.
    expect(saved.verdicts.get(verdictKey(3, 'B', 'p99'))).toBe('noise');
    expect(saved.verdicts.has(verdictKey(0, 'B', 'p50'))).toBe(false);
    expect(renderCompareHtml(buildComparison(saved.inputs), [result, fixed], '0.1.0', saved.verdicts)).toContain(' · noise</span>');

    const damaged = structuredClone(document) as unknown as { runs: { result: { total: { ok: number } } }[] };
    damaged.runs[1]!.result.total.ok = -1;
    expect(() => toSavedComparison(damaged, 'c.json')).toThrow(UsageError);
    expect(() => toSavedComparison(damaged, 'c.json')).toThrow(/^c\.json: runs\[1\]\.result: .*total\.ok/);
  });
});
