// The thresholds: each rule as written, held or failed, and what was measured in the rule's own unit.
import type { ThresholdResult } from '../../../result/run-result.js';
import { formatActual } from '../../text/threshold-lines.js';
import { renderTable } from './html-table.js';

export function renderThresholdsTable(thresholds: readonly ThresholdResult[], id = 'thresholds-table'): string {
  if (thresholds.length === 0) return '<p class="none">No thresholds.</p>';
  return renderTable({
    id,
    head: ['', 'threshold', { text: 'actual', class: 'num' }],
    rows: thresholds.map((t) => ({
      key: t.expr,
      class: t.ok ? 'pass' : 'fail',
      cells: [
        { text: t.ok ? '✓ held' : '✗ failed', class: t.ok ? 'good' : 'bad', field: 'verdict' },
        { text: t.expr, class: 'code' },
        { text: formatActual(t), class: 'num', field: 'actual' },
      ],
    })),
  });
}

/** "all 4 held", "1 of 4 failed". */
export function thresholdsSummary(thresholds: readonly ThresholdResult[]): string {
  const held = thresholds.filter((t) => t.ok).length;
  return held === thresholds.length ? `all ${held} held` : `${thresholds.length - held} of ${thresholds.length} failed`;
}
