// A profile written in a test, run by the product in virtual time: parsed as a profile file would be
// (profile/load.ts), planned with the command line's overrides (run/plan.ts), and run by startVirtualRun —
// the real client (deadlines, retries, backoff, the pool), engine and recorder against the bundled mock's
// model in process. No socket, no timer, no wall time: the same profile and seed give the same result.
import { parseProfile } from '../../src/profile/load.js';
import type { RunResult } from '../../src/result/run-result.js';
import { buildRunPlan, type RunOverrides, type RunPlan } from '../../src/run/plan.js';
import { startVirtualRun, type VirtualRunOptions } from '../../src/run/virtual-run.js';

/** A profile as its YAML would say it (a name, phases, mock, client, faults, ...). */
export type ProfileText = Record<string, unknown>;

/** The plan of `profile` with `overrides`, as `ramp` would build it. */
export function virtualPlan(profile: ProfileText, overrides: RunOverrides = {}): RunPlan {
  return buildRunPlan(parseProfile(JSON.stringify({ name: 'virtual', ...profile }), 'test profile', 'virtual'), overrides);
}

/** Runs `profile` in virtual time and returns its result. */
export function virtualRun(profile: ProfileText, overrides: RunOverrides = {}, options: VirtualRunOptions = {}): Promise<RunResult> {
  return startVirtualRun(virtualPlan(profile, overrides), options).result;
}

/** Poisson arrivals: a steady open phase at `rate` per second for `seconds`. */
export function steadyPhase(name: string, seconds: number, rate: number): ProfileText {
  return { name, duration: `${seconds}s`, rate: `${rate}/s` };
}
