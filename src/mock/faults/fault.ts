// What a fault is: a name, a description, a strict params schema and `apply`, which changes the running
// model at once and returns the function that undoes it. Most faults are a config layer
// (`model.overlay`), so reverting one recomputes the config from the others; a few act on state
// (kill-routers). The injector adds what every fault shares: `for:` (revert after a virtual duration),
// ids, and the log.
import type { FaultDefinitionOf } from '../../core/fault-injector.js';
import type { SimulatedService } from '../model/simulated-service.js';

export type { Revert } from '../../core/fault-injector.js';

export interface ApplyOptions {
  /** The fault's `for:` in incident ms, when it reverts itself. */
  for?: number;
}

/** A fault of the mock: it acts on the running model (`apply` throws, changing nothing, when it cannot). */
export type FaultDefinition<P = unknown> = FaultDefinitionOf<SimulatedService, ApplyOptions, P>;

/** Identity helper that keeps the params type of a definition. */
export function defineFault<P>(definition: FaultDefinition<P>): FaultDefinition<P> {
  return definition;
}
