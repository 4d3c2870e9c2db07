// The one owner of the faults' preflight: before anything runs, every fault of the plan (the profile's and
// the --fault flags') is tried on the mock's own model, configured as the run will configure it (the
// profile's mock section with --mock on top) and advanced in virtual time from fault to fault. A fault the
// running mock would refuse (kill-routers without routers, a `set` that breaks the config) is bad input
// found now, not a "not applied" line at the end of a run. Asked once, of the plan, by validate, ramp and
// compare alike; the profile's own checks stop at what a profile alone can say.
import { dryRunFaults } from '../mock/faults/dry-run.js';
import type { MockConfig } from '../mock/config/index.js';
import type { FaultSpec } from '../profile/profile.js';

export interface RefusedFault {
  fault: FaultSpec;
  /** The mock's reason, with the time it would have refused it at. */
  message: string;
}

/** The faults the mock would refuse at their times, in the order given (none for a target URL). */
export function refusedFaults(target: string, mock: MockConfig, faults: readonly FaultSpec[], seed: number): RefusedFault[] {
  if (target !== 'mock' || faults.length === 0) return [];
  return dryRunFaults(mock, faults, seed).map((p) => ({ fault: faults[p.index]!, message: p.message }));
}
