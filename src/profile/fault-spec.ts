// Faults as profiles and flags write them, checked against the mock's fault registry, or the proxy's, before
// anything runs.
import { faultNames, findFault, validateFault } from '../mock/faults/registry.js';
import { findProxyFault, proxyFaultNames, validateProxyFault } from '../proxy/faults/registry.js';
import type { FaultSpec } from './profile.js';
import { parseDuration, UnitError } from '../core/units.js';

export interface FaultIssue {
  /** Relative to the fault entry: ["workers"], ["for"], ["fault"]. */
  path: (string | number)[];
  message: string;
}

/**
 * Who will apply a fault: the bundled mock, the proxy (--via-proxy, `target: {url, proxy: true}`), or not
 * yet known (a profile with a target URL, which may run with --via-proxy or against a mock's --control):
 * then a fault is fine if either would take it.
 */
export type FaultAudience = 'mock' | 'proxy' | 'either';

/** Every problem with a fault's name and params (empty when it is fine). */
export function checkFault(name: string, params: Record<string, unknown>, audience: FaultAudience = 'either'): FaultIssue[] {
  if (audience === 'proxy') {
    const checked = validateProxyFault(name, params);
    return checked.ok ? [] : checked.problems;
  }
  const mock = validateFault(name, params);
  if (mock.ok) return [];
  if (audience === 'mock') {
    if (findFault(name) === undefined && findProxyFault(name) !== undefined)
      return [
        {
          path: ['fault'],
          message: `${name} is a fault of the proxy, which acts on real traffic: it needs a target URL with proxy: true (or ramp --target <url> --via-proxy)`,
        },
      ];
    return mock.problems;
  }
  const proxy = validateProxyFault(name, params);
  if (proxy.ok) return [];
  if (findFault(name) !== undefined) return mock.problems;
  if (findProxyFault(name) !== undefined) return proxy.problems;
  return [
    { path: ['fault'], message: `unknown fault ${JSON.stringify(name)} (the mock's: ${faultNames.join(', ')}; the proxy's: ${proxyFaultNames.join(', ')})` },
  ];
}

export const FAULT_SPEC_EXPECTED = 'at:name[:key=value,...] such as "30s:shrink-fleet:workers=4" or "1m:kill-routers:count=2,for=30s"';

/** `--fault 30s:shrink-fleet:workers=4,for=1m` -> a checked FaultSpec; throws an Error saying what is wrong. */
export function parseFaultSpec(spec: string): FaultSpec {
  const first = spec.indexOf(':');
  const second = first < 0 ? -1 : spec.indexOf(':', first + 1);
  if (first <= 0) throw new Error(`expected ${FAULT_SPEC_EXPECTED}`);
  const atText = spec.slice(0, first);
  const fault = second < 0 ? spec.slice(first + 1) : spec.slice(first + 1, second);
  const rest = second < 0 ? '' : spec.slice(second + 1);
  let at: number;
  try {
    at = parseDuration(atText);
  } catch (err) {
    throw new Error(`at: ${err instanceof UnitError ? err.message : String(err)}`);
  }
  const params: Record<string, unknown> = {};
  for (const pair of rest.split(',').filter((p) => p.trim() !== '')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`expected key=value after the fault name, got ${JSON.stringify(pair)} (${FAULT_SPEC_EXPECTED})`);
    params[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  const problems = checkFault(fault, params);
  if (problems.length > 0) throw new Error(problems.map(describeFaultIssue).join('; '));
  return { at, fault, params };
}

/** The name's own problem reads best without its path ("unknown fault ..."); params keep theirs. */
export function describeFaultIssue(p: FaultIssue): string {
  return p.path.length > 0 && p.path[0] !== 'fault' ? `${p.path.join('.')}: ${p.message}` : p.message;
}
