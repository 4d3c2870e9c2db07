// The faults the run applied (or could not): when, which, with what.
import { formatDuration } from '../../../core/units.js';
import type { FaultOutcome } from '../../../result/run-result.js';
import { renderTable } from './html-table.js';

export function renderFaultsTable(faults: readonly FaultOutcome[]): string {
  return renderTable({
    id: 'faults-table',
    head: [{ text: 'at', class: 'num' }, 'fault', 'params', 'applied'],
    rows: faults.map((f) => ({
      cells: [
        { text: formatDuration(f.at), class: 'num' },
        { text: f.fault, class: 'code' },
        {
          text: Object.entries(f.params)
            .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(' '),
          class: 'code',
        },
        f.error === undefined ? { text: 'yes', class: 'good' } : { text: `no: ${f.error}`, class: 'bad' },
      ],
    })),
  });
}
