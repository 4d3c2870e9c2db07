// What every report says of a run's faults: who applied them (the bundled mock, the proxy, a mock or
// proxy at --control), which were applied, which not and why, and whether they were skipped on purpose
// (ramp --skip-faults). The text, HTML, JUnit and markdown reports all word it from here.
import { APPLIER_TEXT, faultApplier, SKIPPED_FAULT_ERROR, type FaultApplier } from '../core/fault-outcome.js';
import { formatDuration } from '../core/units.js';
import type { FaultOutcome, RunResult } from '../result/run-result.js';

export interface FaultsSummary {
  applier: FaultApplier;
  applied: number;
  notApplied: number;
  skipped: boolean;
  /** One line: "2 applied by the proxy (--via-proxy), 1 not applied", or why there were none. */
  text: string;
}

/** Undefined when the run had no faults. */
export function faultsSummary(result: Pick<RunResult, 'profile' | 'faults'>): FaultsSummary | undefined {
  if (result.faults.length === 0) return undefined;
  const applier = faultApplier(result.profile);
  const skipped = result.faults.every((f) => f.error === SKIPPED_FAULT_ERROR);
  const applied = result.faults.filter((f) => f.error === undefined).length;
  const notApplied = result.faults.length - applied;
  const n = (count: number): string => `${count} fault${count === 1 ? '' : 's'}`;
  const text = skipped
    ? `${n(result.faults.length)} skipped on purpose (--skip-faults): this run had no faults`
    : [applied > 0 ? `${n(applied)} applied by ${APPLIER_TEXT[applier]}` : '', notApplied > 0 ? `${n(notApplied)} NOT applied` : '']
        .filter((p) => p !== '')
        .join(', ');
  return { applier, applied, notApplied, skipped, text };
}

/** "shrink-fleet workers=4 for=1m" */
export function faultText(f: FaultOutcome): string {
  const params = Object.entries(f.params).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return [f.fault, ...params].join(' ');
}

/** "applied by the proxy (--via-proxy)", "skipped (--skip-faults)" or "not applied: <why>". */
export function faultStatus(f: FaultOutcome, applier: FaultApplier): string {
  if (f.error === undefined) return `applied by ${APPLIER_TEXT[applier]}`;
  if (f.error === SKIPPED_FAULT_ERROR) return 'skipped (--skip-faults)';
  return `not applied: ${f.error}`;
}

/** "1m30s" */
export function faultAt(f: FaultOutcome): string {
  return formatDuration(f.at);
}
