// Faults: one file each (see CONTRIBUTING.md), registered by name in registry.ts, applied by the injector.
export type { ApplyOptions, FaultDefinition, Revert } from './fault.js';
export { defineFault } from './fault.js';
export { faultDefinitions, faultNames, findFault, validateFault, formatFaultProblems, type FaultProblem, type FaultValidation } from './registry.js';
export { FaultInjector, FaultError, type AppliedFault, type FaultEvent, type FaultInjectorOptions } from './injector.js';
