// What the proxy added, phase by phase, when the run went through it: the same figures as the terminal
// report's "proxy" section (src/report/text/proxy-added.ts), read from the proxy's state samples.
import { formatDuration } from '../../../core/units.js';
import type { RunResult } from '../../../result/run-result.js';
import { formatCount, NONE } from '../../text/figures.js';
import { proxyAddedByPhase } from '../../text/proxy-added.js';
import { num, renderTable } from './html-table.js';

/** Empty unless the run went through the proxy. */
export function renderProxyTable(result: RunResult): string {
  if (!result.timeline.some((w) => w.proxy)) return '';
  const mean = (ms: number, n: number): string => (n === 0 ? NONE : ms === 0 ? '0' : formatDuration(ms / n));
  return renderTable({
    id: 'proxy-table',
    head: ['phase', ...['requests', 'delayed', 'added per request', 'added per delayed'].map((text) => ({ text, class: 'num' }))],
    rows: proxyAddedByPhase(result.timeline, result.phases).map((r) => ({
      key: r.phase,
      cells: [
        r.phase,
        num(formatCount(r.requests), 'requests'),
        num(formatCount(r.delayed), 'delayed'),
        num(mean(r.addedMs, r.requests), 'addedPerRequest'),
        num(mean(r.addedMs, r.delayed), 'addedPerDelayed'),
      ],
    })),
  });
}
