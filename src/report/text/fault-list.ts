// `incident-load fault --list`: a running mock's or proxy's fault log as a table, oldest first, in the
// manner of `toxiproxy-cli list` — each fault's id (what --revert takes), name, when it was applied, when
// it reverts itself (its `for:`), whether it is still active, and its params as the program parsed them.
import type { AppliedFault } from '../../core/fault-injector.js';
import { formatDuration } from '../../core/units.js';
import { drawTable } from './plain-table.js';

/** A fault log entry as the control API answers it: an applied fault. */
export type ListedFault = AppliedFault;

export function renderFaultList(faults: readonly ListedFault[], program: 'mock' | 'proxy'): string {
  const clock = program === 'mock' ? 'incident time' : 'wall time since the proxy started';
  if (faults.length === 0) return `no faults on this ${program}\n`;
  const active = faults.filter((f) => f.reverted === undefined).length;
  const table = drawTable({
    head: ['id', 'fault', 'applied', 'until', 'state', 'params'],
    align: ['right', 'left', 'right', 'right', 'left', 'left'],
    rows: faults.map((f) => [
      String(f.id),
      f.fault,
      formatDuration(f.at),
      f.until === undefined ? '-' : formatDuration(f.until),
      f.reverted === undefined ? 'active' : `reverted at ${formatDuration(f.reverted)}`,
      Object.entries(f.params)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' '),
    ]),
  });
  return `${faults.length} fault${faults.length === 1 ? '' : 's'} on this ${program}, ${active} active (times in ${clock})\n${table}\n`;
}
