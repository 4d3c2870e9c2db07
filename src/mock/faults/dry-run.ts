// Faults tried against a model of the mock before anything runs: a fault that the running mock would
// refuse (kill-routers without routers, a `set` that makes the config invalid, ...) is bad input, found
// when the profile is validated rather than as a "not applied" line at the end of a run. The model is the
// mock's own, configured as the run would configure it, and advanced in virtual time from fault to fault
// (no traffic), so `for:` reverts and earlier faults are in effect exactly as they would be.
import type { MockConfig } from '../config/index.js';
import { formatDuration } from '../../core/units.js';
import { SimulatedService } from '../model/simulated-service.js';
import { FaultInjector } from './injector.js';

export interface TimedFault {
  /** Incident ms from the start of the run. */
  at: number;
  fault: string;
  params: Record<string, unknown>;
}

export interface DryRunProblem {
  /** Index of the fault in the list given. */
  index: number;
  message: string;
}

/** Every fault of `faults` that the mock would refuse at its time, with the mock's reason. */
export function dryRunFaults(config: MockConfig, faults: readonly TimedFault[], seed = 1): DryRunProblem[] {
  const service = new SimulatedService(config, { seed });
  const injector = new FaultInjector(service);
  const problems: DryRunProblem[] = [];
  const order = faults.map((f, index) => ({ f, index })).sort((a, b) => a.f.at - b.f.at);
  for (const { f, index } of order) {
    service.advance(f.at);
    try {
      injector.inject({ fault: f.fault, ...f.params });
    } catch (err) {
      problems.push({ index, message: `the mock would refuse it at ${formatDuration(f.at)}: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return problems.sort((a, b) => a.index - b.index);
}
