// Acceptance of the sweep's HTML page (sweep --html), in headless Chromium as for the other reports: it
// opens from file:// loading nothing from any network, logs no error, draws each phase's success and p99
// against the varied value (numbers spaced by value; words, as with client.arrivals, at even steps; a line
// per value of a second --vary), and its table shows the JSON's figures. Sweeps in virtual time: seconds.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/core/units.js';
import type { SweepDocument } from '../../src/result/sweep-document.js';
import { formatPercent } from '../../src/report/text/figures.js';
import { runCli } from '../support/cli.js';
import { cellText, chartPixels, launchChromium, openReport, type OpenedReport } from './support/report-page.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-sweep-html-'));
const file = (name: string): string => join(dir, name);
const readDoc = (name: string): SweepDocument => JSON.parse(readFileSync(file(name), 'utf8')) as SweepDocument;

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  for (const [name, vary] of [
    ['workers', ['--vary', 'mock.fleet.workers=4,8,16']],
    ['grid', ['--vary', 'client.arrivals=uniform,poisson', '--vary', 'mock.fleet.workers=4,16']],
  ] as const) {
    const res = await runCli(['sweep', 'quickstart', ...vary, '--json', file(`${name}.json`), '--html', file(`${name}.html`), '--quiet'], {
      timeoutMs: 60_000,
    });
    if (res.code !== 0) throw new Error(`sweep ${vary.join(' ')} exited ${res.code}: ${res.stderr}`);
  }
  console.log(`incident-load sweep pages and screenshots: ${dir}`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function openChecked(name: string): Promise<OpenedReport> {
  const opened = await openReport(browser, file(name));
  expect(opened.errors).toEqual([]);
  expect(opened.network).toEqual([]);
  const charts = await chartPixels(opened.page);
  expect(await opened.page.getAttribute('html', 'data-charts')).toBe(String(charts.length));
  for (const chart of charts) expect({ chart: chart.id, drew: chart.seriesPixels > 50 }).toEqual({ chart: chart.id, drew: true });
  await opened.page.screenshot({ path: file(`${name.replace(/\.html$/, '')}.png`), fullPage: true });
  return opened;
}

describe('the sweep page (sweep --html)', () => {
  it('draws each phase against fleet.workers and shows the JSON figures in its table', { timeout: 30_000 }, async () => {
    const opened = await openChecked('workers.html');
    const charts = await chartPixels(opened.page);
    expect(charts.map((c) => c.id)).toEqual(['sweep-success-0', 'sweep-p99-0', 'sweep-success-1', 'sweep-p99-1', 'sweep-success-2', 'sweep-p99-2']);
    expect(charts[0]!.series).toEqual(['mock.fleet.workers', 'success']);
    const doc = readDoc('workers.json');
    for (const v of doc.variants) {
      const key = `mock.fleet.workers=${v.values['mock.fleet.workers']}`;
      for (const p of v.result!.phases) {
        expect(await cellText(opened.page, 'sweep-table', key, `${p.name}.success`)).toBe(formatPercent(p.successRatio));
        expect(await cellText(opened.page, 'sweep-table', key, `${p.name}.p99`)).toBe(p.okLatencyMs ? formatDuration(p.okLatencyMs.p99) : '-');
      }
    }
    expect(await opened.page.title()).toBe('quickstart · incident-load sweep');
    await opened.page.close();
  });

  it('two --vary, the first of words: a line per value of the second, on every chart', { timeout: 30_000 }, async () => {
    const opened = await openChecked('grid.html');
    const charts = await chartPixels(opened.page);
    expect(charts).toHaveLength(6);
    // The legend's first entry is x's: the first key.
    for (const chart of charts) expect(chart.series).toEqual(['client.arrivals', 'mock.fleet.workers=4', 'mock.fleet.workers=16']);
    expect(await cellText(opened.page, 'sweep-table', 'client.arrivals=poisson, mock.fleet.workers=16', 'mock.fleet.workers')).toBe('16');
    await opened.page.close();
  });
});
