// A comparison as an HTML report: which runs (A, B, ...), their timelines overlaid on the same axes, the
// comparison table with each difference from the baseline (and its verdict, where the comparison has
// one), the runs' latency distributions, and each run's thresholds (shown, never enforced by compare).
import { formatDuration } from '../../core/units.js';
import type { RunResult } from '../../result/run-result.js';
import type { Comparison } from '../compare/comparison.js';
import { sourceText } from '../compare/render.js';
import { compareCharts } from './data/compare-charts.js';
import { chartFigure, htmlDocument, section, withData } from './document.js';
import { escapeHtml } from './escape.js';
import { renderComparisonTable, type Verdicts } from './tables/comparison-table.js';
import { renderTable } from './tables/html-table.js';
import { renderThresholdsTable } from './tables/thresholds-table.js';

/** `results` in the order of `comparison.runs` (undefined: not run); `verdicts` from a saved comparison document, if any. */
export function renderCompareHtml(comparison: Comparison, results: readonly (RunResult | undefined)[], toolVersion: string, verdicts?: Verdicts): string {
  const measured = comparison.runs.flatMap((run, i) => (results[i] ? [{ label: run.label, result: results[i] }] : []));
  const charts = withData(compareCharts(measured));
  const time = charts.filter((c) => c.kind === 'time');
  const distribution = charts.filter((c) => c.kind === 'percentile');
  const seeds = [...new Set(measured.map((m) => m.result.profile.seed))];
  const sections = [
    `<header><h1>${escapeHtml(`Comparison of ${comparison.runs.length} runs`)}</h1><div class="lead">${escapeHtml(`incident-load ${toolVersion} · differences against ${comparison.baseline}`)}</div>${runsTable(comparison)}${
      seeds.length > 1 ? `<p class="alert warn">${escapeHtml(`seeds differ (${seeds.join(', ')}): the runs were not offered the same arrivals`)}</p>` : ''
    }</header>`,
    section(
      'comparison',
      'Comparison',
      renderComparisonTable(comparison, verdicts),
      `Against ${comparison.baseline}: ▲ higher, ▼ lower; green better (higher success and goodput, lower p50, p99 and attempts per request), red worse; no arrow within 0.5pp or 5%. p50 and p99 are the successes' latencies; — the run has no such phase.`,
    ),
    time.length > 0
      ? section(
          'timeline',
          'Over time',
          time.map(chartFigure).join('\n'),
          `The runs overlaid on the same axes; bands and fault lines are ${comparison.baseline}'s.`,
        )
      : '',
    distribution.length > 0 ? section('distribution', 'Latency distribution', distribution.map(chartFigure).join('\n')) : '',
    thresholds(comparison),
  ];
  return htmlDocument({
    title: `${comparison.runs.map((r) => r.name).join(' vs ')} · incident-load comparison`,
    body: sections.filter((s) => s !== '').join('\n'),
    data: { charts },
    toolVersion,
  });
}

function runsTable(comparison: Comparison): string {
  return renderTable({
    id: 'runs-table',
    head: ['run', 'profile', 'from', 'time', { text: 'speed', class: 'num' }, { text: 'seed', class: 'num' }],
    rows: comparison.runs.map((run) => ({
      key: run.label,
      cells: [
        { text: run.label, class: 'run' },
        { text: run.name, class: 'name' },
        { text: sourceText(run.source), class: 'code' },
        run.measured
          ? `${formatDuration(run.incidentMs ?? 0)} ${run.clock === 'virtual' ? `simulated in ${formatDuration(run.wallMs ?? 0)} (virtual time)` : `in ${formatDuration(run.wallMs ?? 0)} wall`}${run.interrupted ? ` · interrupted at ${formatDuration(run.incidentMs ?? 0)} of ${formatDuration(run.plannedMs ?? 0)}` : ''}`
          : { text: 'not run: compare was interrupted before its turn', class: 'warn' },
        { text: run.clock === 'virtual' ? 'virtual' : run.speed === undefined ? '' : `${Math.round(run.speed * 100) / 100}×`, class: 'num' },
        { text: run.seed === undefined ? '' : String(run.seed), class: 'num' },
      ],
    })),
  });
}

function thresholds(comparison: Comparison): string {
  const runs = comparison.runs.filter((r) => (r.thresholds?.length ?? 0) > 0);
  if (runs.length === 0) return '';
  const tables = runs.map((r) => `<h3>${escapeHtml(`${r.label} ${r.name}`)}</h3>${renderThresholdsTable(r.thresholds ?? [], `thresholds-${r.label}`)}`);
  return section('thresholds', 'Thresholds', tables.join('\n'), "Each run's own: shown, not enforced (compare exits 0 whatever they say).");
}
