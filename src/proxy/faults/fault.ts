// What a proxy fault is, in the manner of the mock's (src/mock/faults/fault.ts) and of toxiproxy's toxics:
// a name, a one-sentence description, an example, a strict params schema, and `apply`, which adds the
// fault's effect to the live traffic at once and returns the function that takes it away again. The
// injector (injector.ts) gives every fault `for:`, an id, a seeded random stream of its own and the log.
import type { FaultDefinitionOf } from '../../core/fault-injector.js';
import type { Random } from '../../core/random.js';
import type { Effects } from '../effects.js';

export type { Revert } from '../../core/fault-injector.js';

export interface ApplyContext {
  /** This fault's own seeded stream: its share of requests is the same for the same seed and order. */
  random: Random;
  /** Its id, for the answers it makes ("fault 3"). */
  id: number;
}

/** A fault of the proxy: it adds its effect to the live traffic. */
export type ProxyFaultDefinition<P = unknown> = FaultDefinitionOf<Effects, ApplyContext, P>;

/** Identity helper that keeps the params type of a definition. */
export function defineProxyFault<P>(definition: ProxyFaultDefinition<P>): ProxyFaultDefinition<P> {
  return definition;
}
