// The browser tests need no apt step: with the system Chromium hidden (INCIDENT_LOAD_NO_SYSTEM_CHROMIUM=1),
// the one shipped inside the npm package @sparticuz/chromium (a dev dependency) is found, and it opens a
// real HTML report from file:// and draws its charts, as every browser test here asks of a browser.
// On a machine without a system Chromium (a fresh one: .ci/run installs none) every browser test runs on
// it anyway; this one proves it where there is one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../scripts/chromium.js';
import { runCli } from '../support/cli.js';
import { chartPixels, openReport } from './support/report-page.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-shipped-chromium-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the npm-shipped Chromium', () => {
  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'is found with the system one hidden, and renders a report',
    async () => {
      const found = await findChromium({ ...process.env, INCIDENT_LOAD_CHROMIUM: '', INCIDENT_LOAD_NO_SYSTEM_CHROMIUM: '1' });
      expect(found.source).toBe('@sparticuz/chromium');
      const html = join(dir, 'run.html');
      const run = await runCli(['ramp', 'quickstart', '--speed', '10', '--html', html, '--quiet'], { timeoutMs: 60_000 });
      expect([0, 1]).toContain(run.code);
      const browser = await chromium.launch({ executablePath: found.executablePath, args: found.args, timeout: 60_000 });
      try {
        const report = await openReport(browser, html);
        expect(report.errors).toEqual([]);
        expect(report.network).toEqual([]);
        const charts = await chartPixels(report.page);
        expect(charts.length).toBeGreaterThan(0);
        for (const chart of charts) expect({ chart: chart.id, drew: chart.seriesPixels > 50 }).toEqual({ chart: chart.id, drew: true });
      } finally {
        await browser.close();
      }
    },
    120_000,
  );

  it('a path given in INCIDENT_LOAD_CHROMIUM must exist, and says so', async () => {
    await expect(findChromium({ INCIDENT_LOAD_CHROMIUM: join(dir, 'no-such-chromium') })).rejects.toThrow(/INCIDENT_LOAD_CHROMIUM=.*no such file/);
  });
});
