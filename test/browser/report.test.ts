// Acceptance of the HTML report, in a real browser: headless Chromium (a system one, or the one shipped in
// an npm package: scripts/chromium.js; without any it fails rather than skips) opens each kind of report from file:// — a run (ramp
// --html), a comparison (compare --html), a merged run (merge --html), and the same rendered again from
// the saved JSON (report --html) — and each must load nothing from any network, log no error, draw every
// chart (pixels of its series' colours on the canvas), and show the JSON's figures. Screenshots go to a
// temporary directory, named in the output. The runs are short (quickstart at --speed 10, a one-off in
// two segments) and seeded; nothing here asserts on the figures' values, only that the page shows them.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/core/units.js';
import type { CompareDocument } from '../../src/report/compare/document.js';
import { formatPercent } from '../../src/report/text/figures.js';
import type { RunResult } from '../../src/result/run-result.js';
import { runCli, startMockCli, type CliResult } from '../support/cli.js';
import { background, cellText, chartPixels, launchChromium, openReport, type OpenedReport } from './support/report-page.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-html-'));
const file = (name: string): string => join(dir, name);
const readJson = <T>(name: string): T => JSON.parse(readFileSync(file(name), 'utf8')) as T;

async function cli(args: string[]): Promise<CliResult> {
  const res = await runCli(args, { timeoutMs: 60_000 });
  if (res.code !== 0 && res.code !== 1) throw new Error(`incident-load ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
  return res;
}

let browser: Browser;
let ramp: CliResult;
let compare: CliResult;

beforeAll(async () => {
  browser = await launchChromium();
  ramp = await cli(['ramp', 'quickstart', '--speed', '10', '--json', file('run.json'), '--html', file('run.html'), '--no-progress']);
  await cli(['ramp', 'quickstart', '--speed', '10', '--mock', 'fleet.workers=8', '--json', file('run-8.json'), '--quiet']);
  compare = await cli(['compare', file('run.json'), file('run-8.json'), '--json', file('compare.json'), '--html', file('compare.html'), '--no-progress']);
  // Segments share one mock, started on its own, as a user runs them apart.
  const mock = await startMockCli(['smoke']);
  try {
    const shared = ['--target', mock.url, '--control', mock.controlUrl, '--token-file', mock.tokenFile];
    const segment = (i: number): Promise<CliResult> =>
      cli([
        'ramp',
        'smoke',
        ...shared,
        '--phase',
        'calm:2s:40',
        '--phase',
        'busy:2s:40..120',
        // smoke's own thresholds name its phases, which --phase replaced: drop them, judge this one.
        '--no-thresholds',
        '--threshold',
        'p99 < 5s',
        '--segment',
        `${i}/2`,
        '--json',
        file(`seg-${i}.json`),
        '--quiet',
      ]);
    await Promise.all([segment(0), segment(1)]);
  } finally {
    await mock.stop();
  }
  await cli(['merge', file('seg-0.json'), file('seg-1.json'), '--json', file('merged.json'), '--html', file('merged.html'), '--quiet']);
  console.log(`incident-load HTML reports and screenshots: ${dir}`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** Opened, and every check that holds for any report: offline, no error, every chart drawn. */
async function openChecked(name: string, colorScheme: 'light' | 'dark' = 'light', screenshot = false): Promise<OpenedReport> {
  const opened = await openReport(browser, file(name), colorScheme);
  expect(opened.errors).toEqual([]);
  expect(opened.network).toEqual([]);
  const charts = await chartPixels(opened.page);
  expect(charts.length).toBeGreaterThan(0);
  expect(await opened.page.getAttribute('html', 'data-charts')).toBe(String(charts.length));
  for (const chart of charts) {
    // A line across a quarter of a 1,200 px wide chart is some 300 pixels; 50 means "drew a series".
    expect({ chart: chart.id, drew: chart.seriesPixels > 50 }).toEqual({ chart: chart.id, drew: true });
  }
  if (screenshot) await opened.page.screenshot({ path: file(`${name.replace(/\.html$/, '')}-${colorScheme}.png`), fullPage: true });
  return opened;
}

async function expectPhaseFigures(opened: OpenedReport, result: RunResult): Promise<void> {
  for (const p of [...result.phases, result.total]) {
    expect(await cellText(opened.page, 'phase-table', p.name, 'offered')).toBe(String(p.offered));
    expect(await cellText(opened.page, 'phase-table', p.name, 'ok')).toBe(String(p.ok));
    expect(await cellText(opened.page, 'phase-table', p.name, 'p99')).toBe(p.okLatencyMs ? formatDuration(p.okLatencyMs.p99) : '-');
  }
}

describe('the run report (ramp --html)', () => {
  let opened: OpenedReport;

  it('opens offline from file://, without an error, and draws every chart', { timeout: 30_000 }, async () => {
    opened = await openChecked('run.html', 'light', true);
    const ids = (await chartPixels(opened.page)).map((c) => c.id);
    expect(ids).toEqual(['throughput', 'success', 'latency', 'mock', 'send-lag', 'distribution']);
  });

  it("shows the JSON's figures: phases, outcomes, thresholds", async () => {
    const result = readJson<RunResult>('run.json');
    await expectPhaseFigures(opened, result);
    for (const [status, count] of Object.entries(result.total.statuses))
      expect(await cellText(opened.page, 'outcomes-table', status, 'total')).toBe(String(count));
    const title = await opened.page.title();
    expect(title).toBe(`${result.profile.name} · incident-load report`);
  });

  it('follows a dark system scheme', { timeout: 30_000 }, async () => {
    expect(await background(opened.page)).toBe('rgb(255, 255, 255)');
    const dark = await openChecked('run.html', 'dark', true);
    expect(await background(dark.page)).toBe('rgb(13, 17, 23)');
    await dark.page.close();
  });

  it('prints: light, with its charts, without an error', { timeout: 30_000 }, async () => {
    const dark = await openReport(browser, file('run.html'), 'dark');
    await dark.page.emulateMedia({ media: 'print' });
    expect(await background(dark.page)).toBe('rgb(255, 255, 255)');
    const pdf = await dark.page.pdf({ format: 'A4' });
    expect(pdf.length).toBeGreaterThan(20_000);
    expect(dark.errors).toEqual([]);
    await dark.page.close();
  });
});

describe('the comparison report (compare --html)', () => {
  it('overlays both runs on every chart and shows the comparison table', { timeout: 30_000 }, async () => {
    const opened = await openChecked('compare.html', 'light', true);
    const charts = await chartPixels(opened.page);
    expect(charts.map((c) => c.id)).toEqual(['compare-ok', 'compare-failed', 'compare-success', 'compare-p99', 'compare-queued', 'compare-distribution']);
    for (const chart of charts) expect(chart.series.filter((s) => /^[AB] /.test(s))).toEqual(['A quickstart', 'B quickstart']);
    const document = readJson<CompareDocument>('compare.json');
    for (const row of document.rows.filter((r) => r.class === undefined)) {
      for (const cell of row.cells) {
        const success = cell.figures?.success;
        expect(await cellText(opened.page, 'comparison-table', `${row.phase}/${cell.run}`, 'success')).toBe(
          success === null || success === undefined ? '-' : formatPercent(success),
        );
      }
    }
    await opened.page.close();
  });
});

describe('the merged report (merge --html)', () => {
  it("draws the merged run and shows each segment's figures", { timeout: 30_000 }, async () => {
    const opened = await openChecked('merged.html', 'light', true);
    const merged = readJson<RunResult>('merged.json');
    await expectPhaseFigures(opened, merged);
    expect(merged.segments).toHaveLength(2);
    for (const s of merged.segments!) expect(await cellText(opened.page, 'segments-table', String(s.index), 'offered')).toBe(String(s.offered));
    await opened.page.close();
  });
});

describe('report: the saved JSON rendered again', () => {
  it("prints a result's run report exactly as ramp printed it, and writes the same HTML report", { timeout: 30_000 }, async () => {
    const res = await cli(['report', file('run.json'), '--html', file('report-run.html')]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(ramp.stdout);
    expect(readFileSync(file('report-run.html'), 'utf8')).toBe(readFileSync(file('run.html'), 'utf8'));
    const opened = await openChecked('report-run.html');
    await expectPhaseFigures(opened, readJson<RunResult>('run.json'));
    await opened.page.close();
  });

  it("prints a compare --json document's comparison as compare printed it, and draws it", { timeout: 30_000 }, async () => {
    const res = await cli(['report', file('compare.json'), '--html', file('report-compare.html')]);
    expect(res.stdout).toBe(compare.stdout);
    const opened = await openChecked('report-compare.html');
    expect((await chartPixels(opened.page)).length).toBe(6);
    await opened.page.close();
  });

  it('compares several results, as compare does with saved results', { timeout: 30_000 }, async () => {
    const res = await cli(['report', file('run.json'), file('run-8.json'), file('merged.json'), '--html', file('report-three.html')]);
    expect(res.stdout).toContain('incident-load compare · 3 runs · differences against A');
    const opened = await openChecked('report-three.html');
    for (const chart of await chartPixels(opened.page)) expect(chart.series.filter((s) => /^[ABC] /.test(s))).toHaveLength(3);
    await opened.page.close();
  });

  it('stays small: tens of kB of data beside the ~53 kB chart library', () => {
    for (const name of ['run.html', 'compare.html', 'merged.html']) expect(statSync(file(name)).size).toBeLessThan(200_000);
  });
});
