// The proxy's fault registry: an explicit list, as the mock's (src/mock/faults/registry.ts), so adding a
// fault is one file plus one line here. The mock's faults that act on its model — its fleet, buffers,
// health monitor, routers, settings — have no meaning in front of a real service: they are named here so
// that asking the proxy for one says why not, rather than "unknown fault".
import { checkFault, type FaultValidation } from '../../core/fault-check.js';
import type { FaultCatalogue } from '../../core/fault-injector.js';
import { parsedField } from '../../core/parsed-field.js';
import { parseDuration, UnitError } from '../../core/units.js';
import { addLatency } from './add-latency.js';
import { bandwidth } from './bandwidth.js';
import { blackhole } from './blackhole.js';
import { capConnections } from './cap-connections.js';
import { errorRate } from './error-rate.js';
import type { ProxyFaultDefinition } from './fault.js';
import { rateLimit } from './rate-limit.js';
import { reset } from './reset.js';
import { shortenTimeout } from './shorten-timeout.js';
import { LONGEST_MS } from './values.js';

export const proxyFaultDefinitions: readonly ProxyFaultDefinition[] = [
  addLatency,
  errorRate,
  capConnections,
  shortenTimeout,
  rateLimit,
  reset,
  bandwidth,
  blackhole,
] as readonly ProxyFaultDefinition[];

export const proxyFaultNames: readonly string[] = proxyFaultDefinitions.map((f) => f.name);

/** The mock's faults that the proxy refuses, each with what it acts on. */
export const MOCK_ONLY_FAULTS: Readonly<Record<string, string>> = {
  'shrink-fleet': "the mock's simulated worker fleet",
  'leak-buffers': "the mock's simulated router memory",
  'break-monitor': "the mock's simulated health monitor",
  'kill-routers': "the mock's simulated routers",
  set: "the mock's settings",
};

export function findProxyFault(name: string): ProxyFaultDefinition | undefined {
  return proxyFaultDefinitions.find((f) => f.name === name);
}

/** Why the proxy will not take `name`: a mock-only fault, or an unknown one. */
export function unknownProxyFault(name: string): string {
  const actsOn = MOCK_ONLY_FAULTS[name];
  if (actsOn !== undefined)
    return `${name} is a fault of the bundled mock: it acts on ${actsOn}, which a proxy in front of a real service does not have (the proxy's faults: ${proxyFaultNames.join(', ')})`;
  return `unknown fault ${JSON.stringify(name)} (the proxy's faults: ${proxyFaultNames.join(', ')})`;
}

/** `for`: how long the fault lasts, wall time, up to a day. */
const forSchema = parsedField((raw) => {
  const ms = parseDuration(raw);
  if (!(ms > 0) || ms > 24 * LONGEST_MS) throw new UnitError('a duration above zero and at most 24h, such as "30s"', raw);
  return ms;
});

/** Checks a fault by name and its raw params (with an optional `for`), as the proxy would apply it. */
export function validateProxyFault(name: string, rawParams: unknown): FaultValidation {
  return checkFault(name, findProxyFault(name), unknownProxyFault(name), rawParams, forSchema);
}

/** The registry as the injector reads it. */
export const proxyFaultCatalogue: FaultCatalogue<ProxyFaultDefinition> = {
  names: proxyFaultNames,
  find: findProxyFault,
  unknown: unknownProxyFault,
  validate: validateProxyFault,
  example: '{"fault": "add-latency", "latency": "200ms"}',
};
