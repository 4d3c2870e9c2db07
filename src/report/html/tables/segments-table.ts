// A merged run's segments side by side: what each generator offered and achieved, its success and p99,
// its send lag and how late it started, and whether it broke.
import { formatDuration, formatRate } from '../../../core/units.js';
import type { SegmentSummary } from '../../../result/run-result.js';
import { formatCount, formatPercent, NONE } from '../../text/figures.js';
import { SEND_LAG_LIMIT_WALL_MS } from '../../text/send-lag-warning.js';
import { num, renderTable } from './html-table.js';
import { successClass } from './phase-table.js';

export function renderSegmentsTable(segments: readonly SegmentSummary[], speed: number): string {
  const limitMs = SEND_LAG_LIMIT_WALL_MS * speed;
  return renderTable({
    id: 'segments-table',
    head: ['segment', ...['offered', 'achieved req/s', 'success', 'p99', 'send lag p99', 'start skew (wall)'].map((text) => ({ text, class: 'num' })), 'state'],
    rows: segments.map((s) => ({
      key: String(s.index),
      cells: [
        `${s.index}/${segments.length}`,
        num(formatCount(s.offered), 'offered'),
        num(formatRate(s.achieved), 'achieved'),
        num(formatPercent(s.successRatio), 'success', { class: successClass(s.successRatio) }),
        num(s.p99 === null ? NONE : formatDuration(s.p99), 'p99'),
        num(
          s.sendLagP99 === null ? NONE : formatDuration(s.sendLagP99),
          'sendLag',
          s.sendLagP99 !== null && s.sendLagP99 > limitMs ? { class: 'warn' } : undefined,
        ),
        num(formatDuration(s.startSkewMs), 'skew'),
        s.failure ? { text: s.failure.message, class: 'bad' } : s.interrupted ? { text: 'interrupted', class: 'warn' } : 'complete',
      ],
    })),
  });
}
