// The page around a report: one self-contained HTML file. The charting library (uPlot, from its npm
// package) and the report's own script are inlined, the data embedded as JSON, and a strict
// Content-Security-Policy allows exactly those two scripts (by their SHA-256) and nothing else: no
// connection, no font, no image but data: URLs. It opens from file://, offline, and in CI viewers that
// serve artifacts under a CSP of their own.
import { createHash } from 'node:crypto';
import { chartLibrary } from './assets.js';
import type { Chart, ReportData } from './chart-data.js';
import { clientScript } from './client.js';
import { embedJson, escapeHtml } from './escape.js';
import { PAGE_CSS } from './page-style.js';

export interface Page {
  title: string;
  /** The body's HTML (already escaped). */
  body: string;
  data: ReportData;
  toolVersion: string;
}

export function htmlDocument(page: Page): string {
  const library = chartLibrary();
  const client = clientScript();
  // A script of the page's must not be able to end its element early (the library and ours are ours; checked all the same).
  for (const script of [library.script, client]) if (/<\/script/i.test(script)) throw new Error('an inline script holds "</script"');
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(library.script)} ${sha256(client)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="incident-load ${escapeHtml(page.toolVersion)}">
<title>${escapeHtml(page.title)}</title>
<style>${library.css}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
${page.body}
<footer>Written by incident-load ${escapeHtml(page.toolVersion)}. One self-contained file: it loads nothing from anywhere. Charts drawn with uPlot ${escapeHtml(library.version)} (MIT, inlined). Every time is incident time unless it says wall.</footer>
<script type="application/json" id="report-data">${embedJson(page.data)}</script>
<script>${library.script}</script>
<script>${client}</script>
</body>
</html>
`;
}

function sha256(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

/** Where a chart draws: its title, what it shows, and the element the script fills. */
export function chartFigure(chart: Chart): string {
  return `<figure class="chart" data-chart="${escapeHtml(chart.id)}"><figcaption><strong>${escapeHtml(chart.title)}</strong><span class="note">${escapeHtml(chart.note)}</span></figcaption><div class="plot" id="chart-${escapeHtml(chart.id)}"></div></figure>`;
}

/** A section: a heading, an optional note under it, and its content. */
export function section(id: string, title: string, content: string, note?: string): string {
  return `<section id="${escapeHtml(id)}"><h2>${escapeHtml(title)}</h2>${note ? `<p class="note">${escapeHtml(note)}</p>` : ''}${content}</section>`;
}

/** Charts whose every series is empty draw nothing: they are left out rather than shown blank. */
export function withData(charts: readonly Chart[]): Chart[] {
  return charts.filter((c) => c.x.length > 0 && c.series.some((s) => s.values.some((v) => v !== null)));
}
