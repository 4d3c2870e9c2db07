// The mock's faults applied to its running model, through the injector the proxy uses too
// (src/core/fault-injector.ts): the model's virtual time is the clock, so `for: 1h` at speed 60 reverts
// after one wall minute, and a fault the model cannot take (kill-routers without routers) is refused.
import { FaultInjector as Injector, type FaultInjectorOptions } from '../../core/fault-injector.js';
import type { SimulatedService } from '../model/simulated-service.js';
import type { FaultDefinition } from './fault.js';
import { faultCatalogue } from './registry.js';

export { FaultError, type AppliedFault, type FaultEvent, type FaultInjectorOptions } from '../../core/fault-injector.js';

export class FaultInjector extends Injector<FaultDefinition> {
  constructor(
    readonly model: SimulatedService,
    options: FaultInjectorOptions = {},
  ) {
    super(
      faultCatalogue,
      { now: () => model.now, at: (t, fn) => model.sim.at(t, fn) },
      (definition, params, context) => definition.apply(model, params, context.for === undefined ? {} : { for: context.for }),
      options,
    );
  }
}
