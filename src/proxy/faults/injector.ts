// The proxy's faults applied to its live traffic, through the injector the mock uses too
// (src/core/fault-injector.ts): the wall is the clock (ms since the proxy started), since a real service
// keeps the wall's time, and each fault gets its own random stream drawn from the proxy's seed and its id.
import { FaultInjector } from '../../core/fault-injector.js';
import { Random } from '../../core/random.js';
import type { Effects } from '../effects.js';
import type { ProxyFaultDefinition } from './fault.js';
import { proxyFaultCatalogue } from './registry.js';

export class ProxyFaultInjector extends FaultInjector<ProxyFaultDefinition> {
  constructor(effects: Effects, seed: number) {
    const t0 = performance.now();
    const now = (): number => performance.now() - t0;
    super(
      proxyFaultCatalogue,
      {
        now,
        at: (t, fn) => {
          const timer = setTimeout(fn, Math.max(0, t - now()));
          timer.unref();
          return { cancel: () => clearTimeout(timer) };
        },
      },
      (definition, params, { id }) => definition.apply(effects, params, { random: new Random(seed, `proxy-fault-${id}`), id }),
    );
  }

  /** Ms since the proxy started. */
  now(): number {
    return this.clock.now();
  }
}
