// How requests ended, per phase and in total: each final status and error kind with its count and its
// share of what the phase offered, and a bar of that share, so the rows of a phase add up to 100%.
import { STATUS_CODES } from 'node:http';
import type { ExpectedStatuses } from '../../../core/expected-statuses.js';
import type { PhaseResult } from '../../../result/run-result.js';
import { formatCount, formatPercent } from '../../text/figures.js';
import { outcomeRows } from '../../text/outcomes.js';
import { escapeHtml } from '../escape.js';

export function renderOutcomesTable(phases: readonly PhaseResult[], total: PhaseResult, expected: ExpectedStatuses): string {
  const rows = outcomeRows(phases, total);
  if (rows.length === 0) return '<p class="none">Nothing was offered.</p>';
  const scopes = [...phases, total];
  const head = `<tr><th>outcome</th>${scopes.map((p, i) => `<th class="num">${escapeHtml(i === phases.length ? 'total' : p.name)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => {
    const good = row.kind === 'status' && expected.has(Number(row.outcome));
    const kind = good ? 'good' : row.kind === 'unfinished' ? 'warn' : 'bad';
    const phrase = row.kind === 'status' ? STATUS_CODES[Number(row.outcome)] : undefined;
    const name = `<th class="name ${kind}">${escapeHtml(row.outcome)}${phrase ? ` <span class="sub">${escapeHtml(phrase)}</span>` : ''}</th>`;
    const cells = row.counts.map((count, i) => {
      const offered = scopes[i]!.offered;
      const share = offered > 0 ? count / offered : 0;
      const width = Math.round(Math.min(1, share) * 1000) / 10;
      return `<td class="num" data-field="${escapeHtml(i === phases.length ? 'total' : scopes[i]!.name)}"><span class="v">${formatCount(count)}</span><span class="sub">${formatPercent(share)}</span><span class="bar ${kind}" style="width:${width}%"></span></td>`;
    });
    return `<tr data-row="${escapeHtml(row.outcome)}">${name}${cells.join('')}</tr>`;
  });
  return `<div class="table-wrap"><table id="outcomes-table" class="outcomes"><thead>${head}</thead><tbody>${body.join('\n')}</tbody></table></div>`;
}
