// The comparison table: per phase (and class) and in total, one row per run with its success, goodput,
// p50 and p99 of successes, attempts per request and top failure; a later run's cells carry its
// difference from the baseline (▲/▼, coloured better or worse), and, where the comparison judged it, a
// verdict on whether the difference is real or within noise.
import type { Comparison, ComparisonCell } from '../../compare/comparison.js';
import { formatDifference, type Difference, type Metric } from '../../compare/difference.js';
import { figureText } from '../../compare/figure-text.js';
import { verdictKey } from '../../compare/saved-document.js';
import { MISSING } from '../../compare/table.js';
import { formatPercent, NONE } from '../../text/figures.js';
import { num, renderTable, type Cell, type Row } from './html-table.js';

/** Verdicts from elsewhere (a saved comparison document), by `verdictKey`; a difference's own comes first. */
export type Verdicts = ReadonlyMap<string, string>;

/** A difference's significance verdict ("real", "noise", ...), when the comparison carries one. */
export function significanceOf(d: Difference): string | undefined {
  const significance = (d as { significance?: unknown }).significance;
  if (typeof significance !== 'object' || significance === null) return undefined;
  const verdict = (significance as { verdict?: unknown }).verdict;
  return typeof verdict === 'string' ? verdict : undefined;
}

const METRICS: { metric: Metric; head: string }[] = [
  { metric: 'success', head: 'success' },
  { metric: 'goodput', head: 'goodput' },
  { metric: 'p50', head: 'p50' },
  { metric: 'p99', head: 'p99' },
  { metric: 'amplification', head: 'attempts /request' },
];

export function renderComparisonTable(comparison: Comparison, verdicts: Verdicts = new Map()): string {
  const measured = comparison.runs.map((run, i) => ({ run, i })).filter((r) => r.run.measured);
  const rows: Row[] = [];
  comparison.rows.forEach((row, rowIndex) => {
    const name = row.class !== undefined ? `${row.phase} · ${row.class}` : row.phase;
    measured.forEach(({ run, i }, k) => {
      const cell = row.cells[i]!;
      rows.push({
        key: `${name}/${run.label}`,
        class: [row.total ? 'total' : '', k === 0 ? 'group-start' : ''].filter((c) => c !== '').join(' '),
        cells: [{ text: k === 0 ? name : '', class: 'name' }, { text: run.label, class: 'run' }, ...metricCells(cell, rowIndex, verdicts)],
      });
    });
  });
  return renderTable({
    id: 'comparison-table',
    head: ['phase', 'run', ...METRICS.map((m) => ({ text: m.head, class: 'num' })), 'top failure'],
    rows,
  });
}

function metricCells(cell: ComparisonCell, rowIndex: number, verdicts: Verdicts): Cell[] {
  const figures = cell.figures;
  if (!figures) return [...METRICS.map((m) => num(MISSING, m.metric)), { text: MISSING, field: 'top' }];
  const cells = METRICS.map(({ metric }) => {
    const text = figureText(metric, figures);
    const d = cell.differences[metric];
    if (!d) return num(text, metric);
    const verdict = significanceOf(d) ?? verdicts.get(verdictKey(rowIndex, cell.run, metric));
    const sub = `${formatDifference(d)}${verdict !== undefined ? ` · ${verdict}` : ''}`;
    const tone = d.verdict === 'better' ? 'good' : d.verdict === 'worse' ? 'bad' : 'same';
    return num(text, metric, { sub, subClass: `${tone}${verdict !== undefined ? ` verdict-${verdict.replace(/[^a-z-]/gi, '')}` : ''}` });
  });
  const top = figures.topFailure;
  return [...cells, { text: top ? `${top.outcome} ${formatPercent(top.share)}` : NONE, field: 'top' }];
}
