// The fault registry: built from an explicit list, so adding a fault is one file plus one line here (see
// CONTRIBUTING.md). No global mutable registry and no reflection: `faultDefinitions` is the whole truth.
// The public face of src/mock/faults is index.ts, which re-exports this and the injector.
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

export interface FaultProblem {
  /** Where, relative to the fault's params: ["workers"], ["for"], or ["fault"] for an unknown name. */
  path: (string | number)[];
  message: string;
}

export type FaultValidation = { ok: true; fault: string; params: unknown; for?: number } | { ok: false; problems: FaultProblem[] };

const forSchema = mockValue.positiveDuration();

/**
 * Checks a fault by name and its raw params (as written in a profile or sent as JSON, with an optional
 * `for`), without a running mock. Returns the parsed params or every problem, each with its path.
 */
export function validateFault(name: string, rawParams: unknown): FaultValidation {
  const definition = findFault(name);
  if (!definition) return { ok: false, problems: [{ path: ['fault'], message: `unknown fault ${JSON.stringify(name)} (known: ${faultNames.join(', ')})` }] };
  if (typeof rawParams !== 'object' || rawParams === null || Array.isArray(rawParams)) {
    return { ok: false, problems: [{ path: [], message: `expected the params of ${name} as a mapping` }] };
  }
  const { for: rawFor, ...raw } = rawParams as Record<string, unknown>;
  const problems: FaultProblem[] = [];
  let forMs: number | undefined;
  if (rawFor !== undefined) {
    const parsed = forSchema.safeParse(rawFor);
    if (parsed.success) forMs = parsed.data;
    else problems.push({ path: ['for'], message: parsed.error.issues[0]?.message ?? 'invalid duration' });
  }
  const params = definition.params.safeParse(raw);
  if (!params.success) {
    for (const issue of params.error.issues) problems.push({ path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: issue.message });
  }
  if (problems.length > 0 || !params.success) return { ok: false, problems };
  return forMs === undefined ? { ok: true, fault: name, params: params.data } : { ok: true, fault: name, params: params.data, for: forMs };
}

/** "workers: expected a whole number ≥ 0, got -1; for: ..." */
export function formatFaultProblems(name: string, problems: FaultProblem[]): string {
  return `${name}: ${problems.map((p) => (p.path.length > 0 ? `${p.path.join('.')}: ${p.message}` : p.message)).join('; ')}`;
}
