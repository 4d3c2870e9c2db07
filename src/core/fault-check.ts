// Checking a fault as written — a name, its params and an optional `for` — against the definition it
// names, without applying it: the mock's and the proxy's registries (src/mock/faults/registry.ts,
// src/proxy/faults/registry.ts) each give their own definitions, their own message for an unknown name
// and their own bounds on `for`; what a check is, and how its problems read, is the same for both.
import type { z } from 'zod';

export interface FaultProblem {
  /** Where, relative to the fault's params: ["workers"], ["for"], or ["fault"] for an unknown name. */
  path: (string | number)[];
  message: string;
}

export type FaultValidation = { ok: true; fault: string; params: unknown; for?: number } | { ok: false; problems: FaultProblem[] };

export interface CheckedDefinition {
  /** Strict: unknown keys are errors. `for` is not part of it (the check takes it off first). */
  readonly params: z.ZodType<unknown, unknown>;
}

/**
 * Checks `rawParams` (a mapping, as in a profile or a JSON body, with an optional `for`) against
 * `definition`, or says `unknown` when there is none. Returns the parsed params or every problem, each with
 * its path.
 */
export function checkFault(
  name: string,
  definition: CheckedDefinition | undefined,
  unknown: string,
  rawParams: unknown,
  forSchema: z.ZodType<number, unknown>,
): FaultValidation {
  if (!definition) return { ok: false, problems: [{ path: ['fault'], message: unknown }] };
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

/** "shrink-fleet: workers: expected a whole number ≥ 0, got -1; for: ..." (an unknown name's message as it is). */
export function formatFaultProblems(name: string, problems: readonly FaultProblem[]): string {
  return `${name}: ${problems.map((p) => (p.path.length > 0 && p.path[0] !== 'fault' ? `${p.path.join('.')}: ${p.message}` : p.message)).join('; ')}`;
}
