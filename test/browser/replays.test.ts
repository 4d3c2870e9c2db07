// The bundled replays' HTML reports render: dalle-2023-03, api-2023-11 and retry-storm, each compared
// with its remediated twin (compare --html), and each run's own report rendered from the comparison's
// saved results (report --html). The runs are this `vitest run`'s replays (test/e2e/replays.test.ts runs
// them first, at speeds their shapes hold at, and checks those shapes); run alone, this file runs them
// itself at the same speeds. Each page loads offline, without an error, draws every chart, shows the
// JSON's phase figures and the comparison's verdicts — the remediated twin's higher success is a real
// difference — and stays small (the timeline has at most 400 windows whatever the incident's length).
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/core/units.js';
import type { CompareDocument } from '../../src/report/compare/document.js';
import { runCli } from '../support/cli.js';
import { REPLAY_SPEEDS, savedReplay } from '../support/replay-results.js';
import { cellText, chartPixels, launchChromium, openReport, type OpenedReport } from './support/report-page.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-html-replays-'));
const file = (name: string): string => join(dir, name);
const REPLAYS = ['dalle-2023-03', 'api-2023-11', 'retry-storm'];
/** Size bound of a replay's page: the ~53 kB library, then data bounded by 400 windows and the phases. */
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

describe.each(REPLAYS)('%s and its remediated twin', (replay) => {
  let document: CompareDocument;

  it('compare --html: both runs overlaid, the comparison table', { timeout: 180_000 }, async () => {
    // This run's results when the replays test left them; else the runs themselves, at the same speeds.
    const saved = [savedReplay(replay), savedReplay(`${replay}-remediated`)];
    const runs = saved.every((f) => f !== undefined) ? (saved as string[]) : [replay, `${replay}-remediated`, '--speed', String(REPLAY_SPEEDS[replay])];
    const res = await runCli(['compare', ...runs, '--json', file(`${replay}-compare.json`), '--html', file(`${replay}-compare.html`), '--quiet'], {
      timeoutMs: 170_000,
    });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    document = JSON.parse(readFileSync(file(`${replay}-compare.json`), 'utf8')) as CompareDocument;
    // What the page is of: the twin does more successful work, a real difference in some phase (the
    // total and the phases of a ramp or a spike may be too uneven to judge), and nowhere the reverse.
    const success = document.rows.filter((r) => r.class === undefined).map((r) => r.cells[1]!.differences.success!);
    expect(success.some((d) => d.direction === 'up' && d.significance?.verdict === 'real')).toBe(true);
    expect(success.filter((d) => d.direction === 'down' && d.significance?.verdict === 'real')).toEqual([]);
    const opened = await expectRendered(`${replay}-compare.html`);
    expect(await opened.page.textContent('body')).toMatch(/· real/);
    await opened.page.close();
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
