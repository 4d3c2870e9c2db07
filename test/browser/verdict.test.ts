// The run report's verdict, fault labels and width, in headless Chromium (Debian's `chromium`): the
// verdict is the first thing on the page, above every chart, lists each failing rule, and its text reads
// against its background — a contrast of at least 4.5:1 (WCAG 2's ratio of relative luminances) for a
// pass and for a fail, in the light and the dark scheme, where it was red on red and green on green;
// fault labels at one instant are drawn in rows that do not overlap (their boxes, as the page's script
// placed them with the browser's own text metrics); and at a 1,280 px viewport nothing makes the page
// scroll sideways: a table too wide for it scrolls inside its own box. The reports are rendered from the
// report tests' seeded fixture (test/report/run-fixture.ts), so nothing here runs a load.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRunHtml } from '../../src/report/html/run-page.js';
import type { RunResult } from '../../src/result/run-result.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from '../report/run-fixture.js';
import { launchChromium, openReport } from './support/report-page.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-verdict-'));

// Four faults at one instant (a chaos scenario's opening move), one of them not applied, and the
// fixture's two; one fault's parameter a long unbroken string, so the faults table is far wider than
// the page.
const failing: RunResult = (() => {
  const result = simulateRun(RAMP_WITH_FAILING_SURGE);
  const at = 60_000;
  return {
    ...result,
    faults: [
      { at, fault: 'shrink-fleet', params: { workers: 6 } },
      { at, fault: 'add-latency', params: { latency: '200ms', jitter: '50ms' } },
      { at, fault: 'error-rate', params: { rate: 0.2, status: 503 } },
      { at, fault: 'kill-routers', params: { for: '10s' }, error: 'refused by the mock' },
      { at: 120_000, fault: 'set-header', params: { value: 'x'.repeat(400) } },
      ...result.faults,
    ],
  };
})();
const passing: RunResult = { ...failing, thresholds: failing.thresholds.filter((t) => t.ok) };

let browser: Browser;
const file = (name: string): string => join(dir, name);

beforeAll(async () => {
  expect(failing.thresholds.some((t) => !t.ok)).toBe(true);
  expect(passing.thresholds.length).toBeGreaterThan(0);
  writeFileSync(file('fail.html'), renderRunHtml(failing));
  writeFileSync(file('pass.html'), renderRunHtml(passing));
  browser = await launchChromium();
  console.log(`incident-load verdict reports and screenshots: ${dir}`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

// The page's globals, as far as the evaluations below use them: the tests compile without the DOM's types.
interface Node {
  parentElement: Node | null;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { top: number; bottom: number; left: number; right: number };
  querySelector(selector: string): Node | null;
  querySelectorAll(selector: string): Iterable<Node>;
}
declare const document: { documentElement: Node; querySelector(selector: string): Node | null; querySelectorAll(selector: string): Iterable<Node> };
declare function getComputedStyle(node: Node): { color: string; backgroundColor: string; overflowX: string };

interface Colours {
  text: string;
  background: string;
}

/** The computed text colour of `selector`, and the background it is drawn on (the nearest one painted). */
function coloursOf(page: Page, selector: string): Promise<Colours> {
  return page.evaluate((selector) => {
    const element = document.querySelector(selector);
    if (!element) throw new Error(`no ${selector}`);
    let node: Node | null = element;
    let background = 'rgba(0, 0, 0, 0)';
    for (; node; node = node.parentElement) {
      const b = getComputedStyle(node).backgroundColor;
      if (!/rgba\(.*,\s*0\)$/.test(b) && b !== 'transparent') {
        background = b;
        break;
      }
    }
    return { text: getComputedStyle(element).color, background };
  }, selector);
}

function rgb(css: string): [number, number, number] {
  const m = /^rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)$/.exec(css);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  if (m[4] !== undefined && Number(m[4]) < 1) throw new Error(`a translucent colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** WCAG 2's contrast ratio: (L1 + 0.05) / (L2 + 0.05) of the relative luminances, lighter over darker. */
function contrast(a: string, b: string): number {
  const luminance = (css: string): number => {
    const [r, g, bl] = rgb(css).map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('the contrast formula', () => {
  it("gives WCAG's figures: black on white 21, a colour on itself 1, #767676 on white 4.54", () => {
    expect(contrast('rgb(0, 0, 0)', 'rgb(255, 255, 255)')).toBeCloseTo(21, 5);
    expect(contrast('rgb(207, 34, 46)', 'rgb(207, 34, 46)')).toBe(1);
    expect(contrast('rgb(118, 118, 118)', 'rgb(255, 255, 255)')).toBeCloseTo(4.54, 2);
  });
});

describe.each([
  ['fail.html', 'FAIL', failing],
  ['pass.html', 'PASS', passing],
])('the verdict of %s', (name, mark, result) => {
  it.each(['light', 'dark'] as const)('reads in the %s scheme: text against its background at 4.5:1 or more', { timeout: 30_000 }, async (scheme) => {
    const opened = await openReport(browser, file(name), scheme);
    expect(opened.errors).toEqual([]);
    await opened.page.screenshot({ path: file(`${name.replace('.html', '')}-${scheme}.png`) });
    for (const part of ['#verdict', '#verdict .verdict-mark', '#verdict .verdict-line']) {
      const { text, background } = await coloursOf(opened.page, part);
      expect({ part, text, background, readable: text !== background && contrast(text, background) >= 4.5 }).toMatchObject({ part, readable: true });
    }
    await opened.page.close();
  });

  it('is at the top: above every chart and every section, and says which rules failed', { timeout: 30_000 }, async () => {
    const { page, errors } = await openReport(browser, file(name));
    expect(errors).toEqual([]);
    const layout = await page.evaluate(() => {
      const verdict = document.querySelector('#verdict')!.getBoundingClientRect();
      const charts = [...document.querySelectorAll('figure.chart')].map((f) => f.getBoundingClientRect().top);
      const headings = [...document.querySelectorAll('section > h2')].map((h) => h.getBoundingClientRect().top);
      const failed = [...document.querySelectorAll('#verdict .verdict-failed li')].map((li) => li.getAttribute('data-row'));
      return { bottom: verdict.bottom, charts, headings, failed, mark: document.querySelector('#verdict .verdict-mark')!.textContent };
    });
    expect(layout.mark).toBe(mark);
    expect(layout.charts.length).toBeGreaterThan(0);
    expect(layout.bottom).toBeLessThanOrEqual(Math.min(...layout.charts, ...layout.headings));
    expect(layout.failed).toEqual(result.thresholds.filter((t) => !t.ok).map((t) => t.expr));
    await page.close();
  });
});

describe('fault labels', () => {
  it('at the same instant are stacked, never drawn over each other', { timeout: 30_000 }, async () => {
    const { page, errors } = await openReport(browser, file('fail.html'));
    expect(errors).toEqual([]);
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll('[data-fault-labels]')].map((e) => ({
        boxes: JSON.parse(e.getAttribute('data-fault-labels')!) as Box[],
        width: e.querySelector('canvas')!.getBoundingClientRect().right - e.querySelector('canvas')!.getBoundingClientRect().left,
      })),
    );
    interface Box {
      label: string;
      x: number;
      y: number;
      width: number;
      height: number;
    }
    expect(charts.length).toBeGreaterThan(0);
    for (const { boxes, width } of charts) {
      // Every label inside the canvas: the 400-character one is cut short rather than run off its left.
      for (const b of boxes) expect({ label: b.label.slice(0, 40), inside: b.x >= 0 && b.x + b.width <= width }).toMatchObject({ inside: true });
      expect(boxes.map((b) => b.label)).toEqual(expect.arrayContaining(['shrink-fleet workers=6', 'kill-routers for=10s (not applied)']));
      const overlapping = boxes.flatMap((a, i) =>
        boxes
          .slice(i + 1)
          .flatMap((b) => (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height ? [[a.label, b.label]] : [])),
      );
      expect(overlapping).toEqual([]);
      // The four at one instant: four rows.
      const atOnce = boxes.filter((b) => /^(shrink-fleet workers=6|add-latency|error-rate|kill-routers)/.test(b.label));
      expect(new Set(atOnce.map((b) => b.y)).size).toBe(4);
    }
    await page.close();
  });
});

describe('at a 1,280 px wide window', () => {
  it.each(['fail.html', 'pass.html'])('%s does not scroll sideways; a table too wide scrolls in its own box', { timeout: 30_000 }, async (name) => {
    const { page, errors } = await openReport(browser, file(name));
    expect(errors).toEqual([]);
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      tables: [...document.querySelectorAll('table')].map((t) => {
        const box = t.parentElement!;
        return {
          id: t.getAttribute('id'),
          wide: box.scrollWidth > box.clientWidth,
          overflow: getComputedStyle(box).overflowX,
          right: box.getBoundingClientRect().right,
        };
      }),
    }));
    expect(widths.page).toBeLessThanOrEqual(1280);
    for (const t of widths.tables) {
      expect(t.right, String(t.id)).toBeLessThanOrEqual(1280);
      if (t.wide) expect(t.overflow, String(t.id)).toMatch(/^(auto|scroll)$/);
    }
    // The faults table, with its 400-character parameter, is the one too wide to fit: it scrolls.
    expect(widths.tables.find((t) => t.id === 'faults-table')?.wide).toBe(true);
    await page.close();
  });
});
