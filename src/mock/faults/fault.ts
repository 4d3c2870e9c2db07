// What a fault is: a name, a description, a strict params schema and `apply`, which changes the running
// model at once and returns the function that undoes it. Most faults are a config layer
// (`model.overlay`), so reverting one recomputes the config from the others; a few act on state
// (kill-routers). The injector adds what every fault shares: `for:` (revert after a virtual duration),
// ids, and the log.
import type { z } from 'zod';
import type { Revert } from '../../core/fault-injector.js';
import type { SimulatedService } from '../model/simulated-service.js';

export type { Revert } from '../../core/fault-injector.js';

export interface ApplyOptions {
  /** The fault's `for:` in incident ms, when it reverts itself. */
  for?: number;
}

export interface FaultDefinition<P = unknown> {
  readonly name: string;
  /** One sentence for `--help`, the README and error messages. */
  readonly description: string;
  /** A CLI example: `shrink-fleet workers=4`. */
  readonly example: string;
  /** Strict: unknown keys are errors. `for` is not part of it (the injector takes it off first). */
  readonly params: z.ZodType<P, unknown>;
  /** Changes the model now; throws (changing nothing) when it cannot apply to this model. */
  apply(model: SimulatedService, params: P, options: ApplyOptions): Revert;
}

/** Identity helper that keeps the params type of a definition. */
export function defineFault<P>(definition: FaultDefinition<P>): FaultDefinition<P> {
  return definition;
}
