// The report's own CSS: system fonts only (nothing to fetch), the colours as variables for light and
// dark (prefers-color-scheme, on screen) and for print (always light; the client adds .printing before
// printing, so the charts it draws again then take the light colours too),
// tables that scroll sideways on a narrow screen and break cleanly on paper.

const LIGHT = `
  --bg: #ffffff; --fg: #1f2328; --fg-muted: #59636e; --rule: #d1d9e0; --grid: rgba(31, 35, 40, 0.09);
  --panel: #f6f8fa; --band-a: rgba(31, 35, 40, 0.055); --band-b: rgba(31, 35, 40, 0);
  --good: #1a7f37; --bad: #cf222e; --warn: #9a6700;`;

const DARK = `
  --bg: #0d1117; --fg: #e6edf3; --fg-muted: #9198a1; --rule: #3d444d; --grid: rgba(230, 237, 243, 0.1);
  --panel: #151b23; --band-a: rgba(230, 237, 243, 0.07); --band-b: rgba(230, 237, 243, 0);
  --good: #3fb950; --bad: #f85149; --warn: #d29922;`;

// Mid-tone hues that read on white and on near-black alike.
const SERIES = `
  --c-offered: #8c959f; --c-ok: #2da44e; --c-failed: #e5534b; --c-dropped: #c69026;
  --c-p50: #3b82f6; --c-p90: #8b5cf6; --c-p99: #f97316; --c-max: #ec4899;
  --c-busy: #3b82f6; --c-workers: #8c959f; --c-routers: #8b5cf6; --c-queued: #f97316; --c-fault: #c026d3;
  --c-run0: #3b82f6; --c-run1: #f97316; --c-run2: #10b981; --c-run3: #e11d48; --c-run4: #8b5cf6; --c-run5: #ca8a04;
  --c-run6: #06b6d4; --c-run7: #ec4899; --c-run8: #65a30d; --c-run9: #6366f1; --c-run10: #a16207; --c-run11: #14b8a6;`;

export const PAGE_CSS = `
:root { color-scheme: light dark; ${LIGHT} ${SERIES} }
@media screen and (prefers-color-scheme: dark) { :root:not(.printing) { ${DARK} } }
:root.printing { color-scheme: light; ${LIGHT} }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px 28px 48px; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.45rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
p.note, figcaption .note, .lead { color: var(--fg-muted); }
p.note { margin: 4px 0 10px; }
code, .code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0 0; }
dl.facts dt { color: var(--fg-muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.alert { margin: 12px 0; padding: 8px 12px; border-left: 4px solid var(--bad); background: var(--panel); font-weight: 600; }
.alert.warn { border-color: var(--warn); }
/* The verdict: the page's own text colours on its panel (a colour on itself was unreadable), the
   outcome in the left rule and on the badge, whose text is the page background on the outcome colour.
   No .good/.bad classes here: their color rule below would override it. */
.verdict { margin: 14px 0 4px; padding: 10px 14px; border: 1px solid var(--rule); border-left: 6px solid var(--verdict);
  border-radius: 6px; background: var(--panel); color: var(--fg); break-inside: avoid; }
.verdict.pass { --verdict: var(--good); } .verdict.fail, .verdict.broken { --verdict: var(--bad); }
.verdict.interrupted { --verdict: var(--warn); } .verdict.done { --verdict: var(--fg-muted); }
.verdict-line { margin: 0; font-size: 1.05rem; font-weight: 600; }
.verdict-mark { display: inline-block; margin-right: 10px; padding: 1px 9px; border-radius: 4px; color: var(--bg); background: var(--verdict);
  letter-spacing: 0.05em; }
.verdict-failed { margin: 6px 0 0; padding-left: 22px; }
.verdict-failed li { overflow-wrap: anywhere; }
.verdict-failed .actual { color: var(--fg-muted); }
figure.chart { margin: 14px 0 22px; break-inside: avoid; }
figure.chart figcaption { margin-bottom: 4px; }
figure.chart figcaption strong { display: block; }
.plot { width: 100%; min-height: 40px; }
.table-wrap { overflow-x: auto; margin: 6px 0 12px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; white-space: nowrap; }
thead th { font-weight: 600; color: var(--fg-muted); border-bottom: 2px solid var(--rule); white-space: normal; }
.num { text-align: right; }
tr.total td, tr.total th { font-weight: 600; }
tr.total.group-start td, tbody tr.total:first-of-type td { border-top: 2px solid var(--rule); }
tr.group-start td { border-top: 1px solid var(--rule); }
td .sub, th .sub { display: block; font-size: 0.82em; color: var(--fg-muted); font-weight: 400; }
.good, td.good .v, .sub.good { color: var(--good); }
.bad, td.bad .v, .sub.bad { color: var(--bad); }
.warn, td.warn .v { color: var(--warn); }
.sub[class*="verdict-noise"] { opacity: 0.75; }
table.outcomes td { position: relative; min-width: 84px; }
table.outcomes .bar { display: block; height: 3px; margin-top: 2px; background: var(--fg-muted); }
table.outcomes .bar.good { background: var(--good); } table.outcomes .bar.bad { background: var(--bad); } table.outcomes .bar.warn { background: var(--warn); }
.none { color: var(--fg-muted); font-style: italic; }
footer { margin-top: 40px; color: var(--fg-muted); font-size: 0.85rem; }
.u-legend { font-size: 12px; }
.u-legend .u-marker { border-radius: 2px; }
@media print {
  :root { ${LIGHT} }
  body { max-width: none; padding: 0; font-size: 11px; }
  h2 { break-after: avoid; }
  section { break-inside: auto; }
  table { break-inside: auto; } tr { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  canvas { max-width: 100% !important; height: auto !important; }
  .u-legend { font-size: 10px; }
  @page { margin: 14mm; }
}`;
