// A merged run's segments side by side (merge, --workers): what each generator offered and achieved, its
// success and p99, its send lag and how late it started. One overloaded or sick generator hides in the
// merged total; here it stands out, and a line under the table names it.
import { formatDuration, formatRate } from '../../core/units.js';
import type { SegmentSummary } from '../../result/run-result.js';
import { formatCount, formatPercent, NONE } from './figures.js';
import { drawTable } from './plain-table.js';
import { SEND_LAG_LIMIT_WALL_MS } from './send-lag-warning.js';
import { sectionTitle, wrapText, type RenderOptions, type Style } from './style.js';

/** Empty without segments; `speed` is the result's profile.speed (send lag and skew are incident time). */
export function renderSegments(segments: readonly SegmentSummary[] | undefined, speed: number, options: RenderOptions, style: Style): string {
  if (!segments || segments.length === 0) return '';
  const limitMs = SEND_LAG_LIMIT_WALL_MS * speed;
  const table = drawTable({
    head: ['segment', 'offered', 'achieved\nreq/s', 'success', 'p99', 'send lag\np99', 'start\nskew', ''],
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    rows: segments.map((s) => [
      `${s.index}/${segments.length}`,
      formatCount(s.offered),
      formatRate(s.achieved),
      formatPercent(s.successRatio),
      s.p99 === null ? NONE : formatDuration(s.p99),
      s.sendLagP99 === null ? NONE : s.sendLagP99 > limitMs ? style.warn(formatDuration(s.sendLagP99)) : formatDuration(s.sendLagP99),
      // Skew is wall time: how late the segment began sending.
      formatDuration(s.startSkewMs),
      s.failure ? style.bad(s.failure.kind) : s.interrupted ? style.warn('interrupted') : '',
    ]),
  });
  const behind = segments.filter((s) => s.sendLagP99 !== null && s.sendLagP99 > limitMs).map((s) => s.index);
  const note =
    behind.length > 0
      ? wrapText(
          `segment${behind.length > 1 ? 's' : ''} ${behind.join(', ')} fell behind (send lag p99 over ${formatDuration(limitMs)}): their arrivals went out late`,
          options.width,
        ).map((l) => style.warn(l))
      : [];
  return [sectionTitle('segments', '(each generator of the merged run; start skew in wall time)', options.width, style), table, ...note].join('\n');
}
