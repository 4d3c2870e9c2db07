// The faults the run applied (or could not): when, which, with what, and by whom (the bundled mock, the
// proxy, a mock or proxy at --control), or why not.
import type { RunResult } from '../../../result/run-result.js';
import { faultAt, faultStatus, faultsSummary, faultText } from '../../fault-lines.js';
import { renderTable } from './html-table.js';

export function renderFaultsTable(result: Pick<RunResult, 'profile' | 'faults'>): string {
  const applier = faultsSummary(result)?.applier ?? 'mock';
  return renderTable({
    id: 'faults-table',
    head: [{ text: 'at', class: 'num' }, 'fault', 'params', 'applied'],
    rows: result.faults.map((f) => ({
      cells: [
        { text: faultAt(f), class: 'num' },
        { text: f.fault, class: 'code' },
        { text: faultText(f).slice(f.fault.length + 1), class: 'code' },
        { text: faultStatus(f, applier), class: f.error === undefined ? 'good' : 'bad' },
      ],
    })),
  });
}
