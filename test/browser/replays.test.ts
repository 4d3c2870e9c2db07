// The bundled replays' HTML reports render: dalle-2023-03, api-2023-11 and retry-storm, each compared
// with its remediated twin (compare --html, both run one after the other at 20 times their speed, seed
// shared), and each run's own report rendered from the comparison's saved results (report --html).
// Hours of an outage in seconds: a busy core moves their numbers (docs/replays.md), so nothing here
// checks them against the postmortems (test/e2e/replays.test.ts does, at a speed they hold at); this
// checks that each page loads offline, without an error, draws every chart, shows the JSON's phase
// figures, and stays small (the timeline has at most 80 windows whatever the incident's length).
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/core/units.js';
import type { CompareDocument } from '../../src/report/compare/document.js';
import { runCli } from '../support/cli.js';
import { cellText, chartPixels, launchChromium, openReport, type OpenedReport } from './support/report-page.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-html-replays-'));
const file = (name: string): string => join(dir, name);
/**
 * Each at 20 times its own speed: dalle and api compress 3½ and 2¾ hours at 150×, retry-storm 8½ minutes
 * at 10×. Faster than that, retry-storm's whole run lands in its last window (everything times out at
 * once): a report of nothing in particular.
 */
const REPLAYS: [string, number][] = [
  ['dalle-2023-03', 3000],
  ['api-2023-11', 3000],
  ['retry-storm', 200],
];
/** Size bound of a replay's page: the ~53 kB library, then data bounded by 80 windows and the phases (about 150 kB measured for dalle). */
const PAGE_BYTES_MAX = 400_000;

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  console.log(`incident-load replay reports: ${dir}`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Opened, offline, without an error, every chart drawn; the page is left open for more checks. */
async function expectRendered(name: string): Promise<OpenedReport> {
  const opened = await openReport(browser, file(name));
  expect(opened.errors).toEqual([]);
  expect(opened.network).toEqual([]);
  const charts = await chartPixels(opened.page);
  expect(charts.length).toBeGreaterThanOrEqual(5);
  // A blank chart has no pixel of its series' colours. A replay run this fast on a busy machine may
  // finish everything in its last window, and a chart then holds a single point: some 10 to 20 pixels.
  for (const chart of charts) expect({ chart: chart.id, drew: chart.seriesPixels > 8 }).toEqual({ chart: chart.id, drew: true });
  await opened.page.screenshot({ path: file(name.replace(/\.html$/, '.png')), fullPage: false });
  expect(statSync(file(name)).size).toBeLessThan(PAGE_BYTES_MAX);
  return opened;
}

describe.each(REPLAYS)('%s and its remediated twin', (replay, speed) => {
  let document: CompareDocument;

  it('compare --html: both runs overlaid, the comparison table', { timeout: 180_000 }, async () => {
    const res = await runCli(
      [
        'compare',
        replay,
        `${replay}-remediated`,
        '--speed',
        String(speed),
        '--json',
        file(`${replay}-compare.json`),
        '--html',
        file(`${replay}-compare.html`),
        '--quiet',
      ],
      // Some 15 s on a quiet machine; several times that on two cores shared with other work.
      { timeoutMs: 170_000 },
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    document = JSON.parse(readFileSync(file(`${replay}-compare.json`), 'utf8')) as CompareDocument;
    await (await expectRendered(`${replay}-compare.html`)).page.close();
  });

  it("report --html: each run's own report, from the saved results", { timeout: 60_000 }, async () => {
    for (const run of document.runs) {
      const name = `${run.name}.json`;
      writeFileSync(file(name), JSON.stringify(run.result));
      const res = await runCli(['report', file(name), '--html', file(`${run.name}.html`), '--quiet'], { timeoutMs: 30_000 });
      expect(res.code).toBe(0);
      const opened = await expectRendered(`${run.name}.html`);
      for (const p of run.result!.phases) {
        expect(await cellText(opened.page, 'phase-table', p.name, 'offered')).toBe(String(p.offered));
        expect(await cellText(opened.page, 'phase-table', p.name, 'p99')).toBe(p.okLatencyMs ? formatDuration(p.okLatencyMs.p99) : '-');
      }
      await opened.page.close();
    }
  });
});
