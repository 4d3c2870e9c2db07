// Opening an HTML report in headless Chromium (Debian's `chromium`, driven by playwright-core) the way a
// person would: from file://, with every request that is not file: or data: recorded and refused, and
// every console error and uncaught exception recorded. A report that needs the network, or whose script
// fails, fails the test that opened it.
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from '../../../scripts/chromium.js';

// The page's globals, as far as the evaluations below use them: the tests compile without the DOM's types.
interface PageNode {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  width: number;
  height: number;
  querySelector(selector: string): PageNode | null;
  querySelectorAll(selector: string): Iterable<PageNode>;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
declare const document: { body: PageNode; querySelectorAll(selector: string): Iterable<PageNode> };
declare function getComputedStyle(node: PageNode): { borderColor: string; backgroundColor: string };

/**
 * Fails (never skips) without a browser: the acceptance of the HTML report is that it renders in one. A
 * system Chromium, or the one shipped in an npm package (scripts/chromium.js): no apt step needed.
 */
export async function launchChromium(): Promise<Browser> {
  const found = await findChromium();
  return chromium.launch({ executablePath: found.executablePath, args: found.args, timeout: 60_000 });
}

export interface OpenedReport {
  page: Page;
  /** Requests to anything but file: and data:. */
  network: string[];
  /** console.error messages and uncaught exceptions. */
  errors: string[];
}

export async function openReport(browser: Browser, file: string, colorScheme: 'light' | 'dark' = 'light'): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme, locale: 'en-US' });
  const network: string[] = [];
  const errors: string[] = [];
  const local = (url: string): boolean => /^(file|data):/i.test(url);
  page.on('request', (request) => {
    if (!local(request.url())) network.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.route('**', (route) => (local(route.request().url()) ? route.continue() : route.abort('blockedbyclient')));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 20_000 });
  // The script marks the page once every chart is drawn; a script that failed never does.
  await page.waitForSelector('html[data-charts]', { state: 'attached', timeout: 10_000 }).catch(() => errors.push('the charts were never drawn'));
  return { page, network, errors };
}

export interface ChartPixels {
  id: string;
  /** Series drawn, by their legend label. */
  series: string[];
  /** Pixels of the canvas within reach of a series' colour. */
  seriesPixels: number;
  /** Pixels that are not transparent at all. */
  painted: number;
}

/**
 * For every chart of the page: how many of its canvas pixels are of its series' colours (uPlot draws on
 * a canvas; the colours are read from its legend's markers, so the axes, grid and bands do not count).
 */
export function chartPixels(page: Page): Promise<ChartPixels[]> {
  return page.evaluate(() => {
    const parse = (css: string): number[] | null => {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(css);
      return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
    };
    return [...document.querySelectorAll('figure.chart')].map((figure) => {
      const canvas = figure.querySelector('canvas');
      const markers = [...figure.querySelectorAll('.u-legend .u-series .u-marker')];
      const colours = markers.map((m) => parse(getComputedStyle(m).borderColor)).filter((c): c is number[] => c !== null);
      const series = [...figure.querySelectorAll('.u-legend .u-series .u-label')].map((l) => l.textContent ?? '').filter((t) => t !== '');
      let seriesPixels = 0;
      let painted = 0;
      if (canvas) {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3]! === 0) continue;
          painted++;
          // Lines are antialiased: the middle of a 1.75 px line is the colour within a few units.
          if (data[i + 3]! > 200 && colours.some((c) => Math.abs(c[0]! - data[i]!) + Math.abs(c[1]! - data[i + 1]!) + Math.abs(c[2]! - data[i + 2]!) < 24))
            seriesPixels++;
        }
      }
      return { id: figure.dataset.chart ?? '', series, seriesPixels, painted };
    });
  });
}

/** The text of a table cell: the row with data-row=`row`, the cell with data-field=`field`. */
export async function cellText(page: Page, table: string, row: string, field: string): Promise<string> {
  return page.evaluate(
    ({ table, row, field }) => {
      const rows = [...document.querySelectorAll(`#${table} tbody tr`)].filter((r) => r.dataset.row === row);
      const cell = rows[0]?.querySelector(`[data-field="${field}"] .v`);
      return cell?.textContent ?? `(no cell ${table} ${row} ${field})`;
    },
    { table, row, field },
  );
}

/** The page's computed background colour (dark or light scheme, print). */
export function background(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}
