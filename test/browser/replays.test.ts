// The bundled replays' HTML reports render: dalle-2023-03, api-2023-11 and retry-storm, each compared
// with its remediated twin (compare --html), and each run's own report rendered from the comparison's
// saved results (report --html). The runs are virtual (compare --virtual): a report of a virtual run is
// one a user gets, the runs take a second or two, and they are the same on any machine, so the pages show
// exactly the shapes test/e2e/replays.test.ts checks (the HTTP path to the same figures is
// test/e2e/fidelity-virtual-http.test.ts's). Each page loads offline, without an error, draws every chart,
// shows the JSON's phase figures and the comparison's verdicts — the remediated twin's higher success is a
// real difference — and stays small (the timeline has at most 400 windows whatever the incident's length).
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
  // A blank chart has no pixel of its series' colours; a drawn one has many (a chart holding a single
  // point has some 10 to 20).
  for (const chart of charts) expect({ chart: chart.id, drew: chart.seriesPixels > 8 }).toEqual({ chart: chart.id, drew: true });
  await opened.page.screenshot({ path: file(name.replace(/\.html$/, '.png')), fullPage: false });
  expect(statSync(file(name)).size).toBeLessThan(PAGE_BYTES_MAX);
  return opened;
}

describe.each(REPLAYS)('%s and its remediated twin', (replay) => {
  let document: CompareDocument;

  it('compare --html: both runs overlaid, the comparison table', { timeout: 60_000 }, async () => {
    const runs = [replay, `${replay}-remediated`, '--virtual'];
    const res = await runCli(['compare', ...runs, '--json', file(`${replay}-compare.json`), '--html', file(`${replay}-compare.html`), '--quiet'], {
      timeoutMs: 50_000,
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
    const body = await opened.page.textContent('body');
    expect(body).toMatch(/· real/);
    expect(body).toMatch(/simulated in .* \(virtual time\)/); // says how its time was kept
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
