// The fault registry: built from an explicit list, so adding a fault is one file plus one line here (see
// CONTRIBUTING.md). No global mutable registry and no reflection: `faultDefinitions` is the whole truth.
// The public face of src/mock/faults is index.ts, which re-exports this and the injector.
import { checkFault, formatFaultProblems, type FaultProblem, type FaultValidation } from '../../core/fault-check.js';
import type { FaultCatalogue } from '../../core/fault-injector.js';
import { mockValue } from '../config/index.js';
import { addLatency } from './add-latency.js';
import { breakMonitor } from './break-monitor.js';
import { capConnections } from './cap-connections.js';
import { errorRate } from './error-rate.js';
import type { FaultDefinition } from './fault.js';
import { killRouters } from './kill-routers.js';
import { leakBuffers } from './leak-buffers.js';
import { set } from './set.js';
import { shortenTimeout } from './shorten-timeout.js';
import { shrinkFleet } from './shrink-fleet.js';

export { formatFaultProblems, type FaultProblem, type FaultValidation };

export const faultDefinitions: readonly FaultDefinition[] = [
  shrinkFleet,
  shortenTimeout,
  capConnections,
  breakMonitor,
  leakBuffers,
  killRouters,
  addLatency,
  errorRate,
  set,
];

export const faultNames: readonly string[] = faultDefinitions.map((f) => f.name);

export function findFault(name: string): FaultDefinition | undefined {
  return faultDefinitions.find((f) => f.name === name);
}

const forSchema = mockValue.positiveDuration();

/**
 * Checks a fault by name and its raw params (as written in a profile or sent as JSON, with an optional
 * `for`), without a running mock. Returns the parsed params or every problem, each with its path.
 */
export function validateFault(name: string, rawParams: unknown): FaultValidation {
  return checkFault(name, findFault(name), unknownFault(name), rawParams, forSchema);
}

function unknownFault(name: string): string {
  return `unknown fault ${JSON.stringify(name)} (known: ${faultNames.join(', ')})`;
}

/** The registry as the injector reads it. */
export const faultCatalogue: FaultCatalogue<FaultDefinition> = {
  names: faultNames,
  find: findFault,
  unknown: unknownFault,
  validate: validateFault,
  example: '{"fault": "shrink-fleet", "workers": 4}',
};
