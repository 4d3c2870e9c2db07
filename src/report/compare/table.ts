// The comparison table: per phase and in total, each run's success, goodput, p50 and p99 (of successes,
// as in the run report), attempts per request and top failure, later runs' cells marked with their
// difference from the first.
//
// Two layouts, the first that fits the width: runs side by side as groups of columns (wide terminals,
// two runs at about 150 columns), else one line per run under each phase, so a metric of A sits right
// above the same metric of B. When even that is too wide the differences go under their values, then
// p50 goes, then each phase name moves to a row of its own above its runs' rows and long names and
// failure kinds are cut.
import { formatPercent, NONE } from '../text/figures.js';
import { drawTable, widest } from '../text/plain-table.js';
import { truncate, type RenderOptions, type Style } from '../text/style.js';
import type { Comparison, ComparisonCell, ComparisonRow, PhaseFigures } from './comparison.js';
import { figureText } from './figure-text.js';
import { formatDifference, isMarked, type Metric } from './difference.js';

/** A phase the run does not have. */
export const MISSING = '—';

interface Shape {
  layout: 'columns' | 'stacked';
  /** The difference on a line of its own under the value. */
  below: boolean;
  p50: boolean;
  /** Phase names on rows of their own, cut (with failure kinds) to fit. */
  cut: boolean;
}

const SHAPES: Shape[] = [
  { layout: 'columns', below: false, p50: true, cut: false },
  { layout: 'stacked', below: false, p50: true, cut: false },
  { layout: 'stacked', below: true, p50: true, cut: false },
  { layout: 'stacked', below: true, p50: false, cut: false },
  { layout: 'stacked', below: true, p50: false, cut: true },
];

export function renderComparisonTable(comparison: Comparison, options: RenderOptions, style: Style): string {
  const shown = comparison.runs.map((r, i) => ({ run: r, index: i })).filter((r) => r.run.measured);
  let text = '';
  for (const shape of SHAPES) {
    if (shape.layout === 'columns' && shown.length > 3) continue;
    // Cutting names: whatever the other columns leave (measured with empty names under the "phase" heading).
    const nameWidth = shape.cut ? Math.max(4, options.width - widest(draw(comparison, shown, shape, 0, style)) + 'phase'.length) : Infinity;
    text = draw(comparison, shown, shape, nameWidth, style);
    if (widest(text) <= options.width) break;
  }
  return text;
}

interface Column {
  head: string;
  /** The heading beside the run's label in the side-by-side layout. */
  short: string;
  metric?: Metric;
  cell: (f: PhaseFigures, cut: boolean) => string;
}

const COLUMNS: (Column & { key: string })[] = [
  { key: 'success', head: 'success', short: 'success', metric: 'success', cell: (f) => figureText('success', f) },
  { key: 'goodput', head: 'goodput', short: 'goodput', metric: 'goodput', cell: (f) => figureText('goodput', f) },
  { key: 'p50', head: 'p50', short: 'p50', metric: 'p50', cell: (f) => figureText('p50', f) },
  { key: 'p99', head: 'p99', short: 'p99', metric: 'p99', cell: (f) => figureText('p99', f) },
  { key: 'amplification', head: 'attempts\n/request', short: 'att/req', metric: 'amplification', cell: (f) => figureText('amplification', f) },
  { key: 'top', head: 'top failure', short: 'top failure', cell: (f, cut) => topFailureText(f, cut) },
];

function topFailureText(f: PhaseFigures, cut: boolean): string {
  if (!f.topFailure) return NONE;
  const outcome = cut ? truncate(f.topFailure.outcome, 7) : f.topFailure.outcome;
  return `${outcome} ${formatPercent(f.topFailure.share)}`;
}

function metricCell(column: Column, cell: ComparisonCell, shape: Shape, style: Style): string {
  if (!cell.figures) return MISSING;
  const value = column.cell(cell.figures, shape.cut);
  const d = column.metric ? cell.differences[column.metric] : undefined;
  if (!d) return value;
  const paint = !isMarked(d) ? style.dim : d.verdict === 'better' ? style.good : d.verdict === 'worse' ? style.bad : style.dim;
  return `${value}${shape.below ? '\n' : ' '}${paint(formatDifference(d))}`;
}

function draw(comparison: Comparison, shown: { run: Comparison['runs'][number]; index: number }[], shape: Shape, nameWidth: number, style: Style): string {
  const columns = COLUMNS.filter((c) => shape.p50 || c.key !== 'p50');
  const phaseName = (row: ComparisonRow): string => {
    const name = truncate(row.class !== undefined ? `${row.phase} · ${row.class}` : row.phase, nameWidth);
    return row.total ? style.strong(name) : name;
  };
  const totalAt = comparison.rows.findIndex((r) => r.total);

  if (shape.layout === 'columns') {
    const head = ['phase'];
    const align: ('left' | 'right')[] = ['left'];
    shown.forEach((s, k) => {
      if (k > 0) {
        head.push('');
        align.push('left');
      }
      for (const c of columns) {
        head.push(`${s.run.label}\n${c.short}`);
        align.push(c.key === 'top' ? 'left' : 'right');
      }
    });
    const rows = comparison.rows.map((row) => {
      const out = [phaseName(row)];
      shown.forEach((s, k) => {
        if (k > 0) out.push('│');
        for (const c of columns) out.push(metricCell(c, row.cells[s.index]!, shape, style));
      });
      return out;
    });
    return drawTable({ head, align, rows, ruleAbove: [totalAt] });
  }

  const metricAlign = columns.map((c) => (c.key === 'top' ? ('left' as const) : ('right' as const)));
  const rows: string[][] = [];
  // The rule goes above the first total row (a request mix adds one per class after it).
  let totalRow = -1;
  for (const row of comparison.rows) {
    if (row.total && totalRow < 0) totalRow = rows.length;
    const cells = (s: (typeof shown)[number]): string[] => columns.map((c) => metricCell(c, row.cells[s.index]!, shape, style));
    if (shape.cut) {
      rows.push([phaseName(row), ...columns.map(() => '')]);
      for (const s of shown) rows.push([`  ${style.strong(s.run.label)}`, ...cells(s)]);
    } else {
      shown.forEach((s, k) => rows.push([k === 0 ? phaseName(row) : '', style.strong(s.run.label), ...cells(s)]));
    }
  }
  if (shape.cut) return drawTable({ head: ['phase', ...columns.map((c) => c.head)], align: ['left', ...metricAlign], rows, ruleAbove: [totalRow] });
  return drawTable({ head: ['phase', 'run', ...columns.map((c) => c.head)], align: ['left', 'left', ...metricAlign], rows, ruleAbove: [totalRow] });
}
