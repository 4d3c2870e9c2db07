// A sweep as an HTML report: what was varied over which values, each phase's success and p99 of successes
// against the varied value (a line per value of a second varied key), the table of variants (as the
// terminal shows it) and the thresholds that failed, variant by variant. A string; only src/cli/ writes it.
import { formatDuration } from '../../core/units.js';
import type { PhaseResult } from '../../result/run-result.js';
import type { SweepDocument, SweepVariantDocument } from '../../result/sweep-document.js';
import { formatPercent, NONE } from '../text/figures.js';
import { formatActual } from '../text/threshold-lines.js';
import { sweepCharts } from './data/sweep-charts.js';
import { chartFigure, htmlDocument, section, withData } from './document.js';
import { escapeHtml } from './escape.js';
import { num, renderTable, type Cell } from './tables/html-table.js';

export function renderSweepHtml(doc: SweepDocument): string {
  const charts = withData(sweepCharts(doc));
  const measured = doc.variants.flatMap((v) => (v.result ? [v.result] : []));
  const phases = measured[0]?.phases.map((p) => p.name) ?? [];
  const first = measured[0];
  const wallMs = measured.reduce((sum, r) => sum + r.wallMs, 0);
  const facts: [string, string][] = [
    ['varied', doc.vary.map((v) => `${v.key} over ${v.values.join(', ')}`).join(' × ')],
    [
      'runs',
      first
        ? `${doc.variants.length} variants of ${formatDuration(first.plannedMs)} of incident time, ${
            first.profile.clock === 'virtual' ? `simulated in ${formatDuration(wallMs)} (virtual time)` : `in ${formatDuration(wallMs)} wall`
          }`
        : `${doc.variants.length} variants, none measured`,
    ],
    ['seed', first ? `${first.profile.seed} (every variant offered the same arrivals)` : NONE],
  ];
  const unfinished = doc.variants.filter((v) => !v.result || v.result.interrupted).length;
  const header = `<header><h1>${escapeHtml(`Sweep of ${doc.profile}`)}</h1><div class="lead">${escapeHtml(`${doc.tool.name} ${doc.tool.version} · what-if sweep`)}</div>
<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>${
    unfinished > 0 ? `\n<p class="alert">${escapeHtml(`interrupted: ${unfinished} of ${doc.variants.length} variants not measured in full`)}</p>` : ''
  }</header>`;
  const sections = [
    header,
    charts.length > 0
      ? section(
          'charts',
          'Against the varied value',
          charts.map(chartFigure).join('\n'),
          `Each phase's success (ok ÷ offered) and p99 of successes, one point per variant${doc.vary[1] ? `, one line per ${doc.vary[1].key}` : ''}.`,
        )
      : '',
    section(
      'variants',
      'Variants',
      variantsTable(doc, phases),
      'Success: ok ÷ offered; p99 of successes, from the intended send; thresholds held of those judged.',
    ),
    failedThresholds(doc),
  ];
  return htmlDocument({
    title: `${doc.profile} · incident-load sweep`,
    body: sections.filter((s) => s !== '').join('\n'),
    data: { charts },
    toolVersion: doc.tool.version,
  });
}

/** "mock.fleet.workers=8, rate=1.5" */
function variantLabel(doc: SweepDocument, v: SweepVariantDocument): string {
  return doc.vary.map((vary) => `${vary.key}=${v.values[vary.key]}`).join(', ');
}

function variantsTable(doc: SweepDocument, phases: readonly string[]): string {
  return renderTable({
    id: 'sweep-table',
    head: [
      ...doc.vary.map((v) => ({ text: v.key, class: 'num' })),
      ...phases.flatMap((name) => [
        { text: `${name} success`, class: 'num' },
        { text: `${name} p99`, class: 'num' },
      ]),
      { text: 'thresholds held', class: 'num' },
      '',
    ],
    rows: doc.variants.map((v) => ({
      key: variantLabel(doc, v),
      cells: [
        ...doc.vary.map((vary) => num(String(v.values[vary.key] ?? NONE), vary.key)),
        ...phases.flatMap((name) => {
          const p = v.result?.phases.find((x) => x.name === name);
          return [successCell(p, name), num(p?.okLatencyMs ? formatDuration(p.okLatencyMs.p99) : NONE, `${name}.p99`)];
        }),
        heldCell(v),
        { text: note(v), class: 'warn' },
      ],
    })),
  });
}

function successCell(p: PhaseResult | undefined, name: string): Cell {
  if (!p || p.offered === 0) return num(NONE, `${name}.success`);
  const tone = p.successRatio >= 0.99 ? 'good' : p.successRatio >= 0.9 ? 'warn' : 'bad';
  return num(formatPercent(p.successRatio), `${name}.success`, { class: tone });
}

function heldCell(v: SweepVariantDocument): Cell {
  const thresholds = v.result?.thresholds ?? [];
  if (!v.result || thresholds.length === 0) return num(NONE, 'thresholds');
  const held = thresholds.filter((t) => t.ok).length;
  return num(`${held}/${thresholds.length}`, 'thresholds', { class: held === thresholds.length ? 'good' : 'bad' });
}

function note(v: SweepVariantDocument): string {
  if (!v.result) return 'not run';
  if (v.result.interrupted) return `interrupted at ${formatDuration(v.result.total.durationMs)}`;
  return v.result.failure?.message ?? '';
}

function failedThresholds(doc: SweepDocument): string {
  const rows = doc.variants.flatMap((v) =>
    (v.result?.thresholds ?? [])
      .filter((t) => !t.ok)
      .map((t) => ({
        key: `${variantLabel(doc, v)}: ${t.expr}`,
        class: 'fail',
        cells: [
          { text: variantLabel(doc, v), class: 'code' },
          { text: t.expr, class: 'code' },
          { text: formatActual(t), class: 'num', field: 'actual' },
        ],
      })),
  );
  if (rows.length === 0) return '';
  return section(
    'thresholds',
    'Thresholds that failed',
    renderTable({ id: 'sweep-thresholds', head: ['variant', 'threshold', { text: 'actual', class: 'num' }], rows }),
  );
}
