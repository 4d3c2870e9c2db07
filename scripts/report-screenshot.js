#!/usr/bin/env node
// `npm run docs:screenshot`: docs/report.png, the picture of the HTML report the README shows. Runs the
// bundled quickstart (its own seed and speed, ~25 s) with --html into a scratch directory, opens the
// report in headless Chromium (a system one, or the npm-shipped one: scripts/chromium.js) from file://, with every
// request that is not file: or data: refused, and saves the top of the page: the header and the charts.
// Run it after a change to what the report shows, and commit the PNG.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { findChromium } from './chromium.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs', 'report.png');

let found;
try {
  found = await findChromium();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'incident-load-screenshot-'));
const html = join(dir, 'quickstart.html');
const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'incident-load.js'), 'ramp', 'quickstart', '--html', html, '--quiet'], {
  stdio: 'inherit',
  env: { ...process.env, NO_COLOR: '1' },
  timeout: 120_000,
});
if (run.status !== 0 && run.status !== 1) process.exit(run.status ?? 1);

const browser = await chromium.launch({ executablePath: found.executablePath, args: found.args });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 }, colorScheme: 'light' });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.route('**', (route) => (/^(file|data):/.test(route.request().url()) ? route.continue() : (problems.push(route.request().url()), route.abort())));
  await page.goto(pathToFileURL(html).href);
  await page.waitForSelector('html[data-charts]', { state: 'attached', timeout: 10_000 });
  if (problems.length > 0) throw new Error(`the report did not open cleanly: ${problems.join('; ')}`);
  // The header and the first charts: what a reader sees first.
  await page.screenshot({ path: OUT, clip: { x: 0, y: 0, width: 1200, height: 1480 } });
  console.log(`wrote ${OUT} (from ${html})`);
} finally {
  await browser.close();
}
