// Who applied a run's faults, and how a fault the user chose not to apply (ramp --skip-faults) reads in
// a result, so that every report can say it the same way. The result keeps where the run sent
// (`profile.target`: "mock (...)" for the bundled mock; `profile.proxy` through the proxy) and, for each
// fault, an error when it was not applied: that is enough to tell who applied the others.

/** A fault's `error` in the result when ramp --skip-faults left it out on purpose. */
export const SKIPPED_FAULT_ERROR = 'skipped on purpose (--skip-faults): this run has no faults';

export type FaultApplier = 'mock' | 'proxy' | 'control';

/** What a result says about where it sent: enough to know who applied its faults. */
export interface AppliedWhere {
  target: string;
  proxy?: string | undefined;
}

/** The bundled mock (target "mock (...)"), the proxy --via-proxy started, or a mock or proxy driven through --control. */
export function faultApplier(profile: AppliedWhere): FaultApplier {
  if (profile.proxy !== undefined) return 'proxy';
  if (profile.target.startsWith('mock (') || profile.target === 'mock') return 'mock';
  return 'control';
}

export const APPLIER_TEXT: Record<FaultApplier, string> = {
  mock: 'the bundled mock',
  proxy: 'the proxy',
  control: 'the mock or proxy at --control',
};
