// The compact phase syntax shared by `--phase` and a profile's `phases:` entries:
//   name:duration:rate        warmup:10s:50          (constant, per second; "50/s" and "300/m" too)
//   name:duration:from..to    surge:30s:50..500      (linear ramp)
//   name:duration:vus=N       soak:1m:vus=20         (closed model: N looping clients)
import type { Phase } from '../schedule/phase.js';
import { parsePositiveDuration, parseRateRange, UnitError } from '../core/units.js';
import * as values from '../core/values.js';

export const PHASE_SPEC_EXPECTED = 'name:duration:rate, name:duration:from..to or name:duration:vus=N (e.g. "surge:30s:50..500")';

/** Parses one phase spec; throws an Error whose message says what was expected. */
export function parsePhaseSpec(spec: string): Phase {
  const parts = spec.split(':');
  if (parts.length !== 3) throw new Error(`expected ${PHASE_SPEC_EXPECTED}, got ${JSON.stringify(spec)}`);
  const [name, duration, load] = parts as [string, string, string];
  return buildPhase(name, duration, load);
}

/** A phase from its three parts, each validated with a message naming the part. */
export function buildPhase(name: string, duration: unknown, load: { rate?: unknown; vus?: unknown } | string): Phase {
  if (!/^[A-Za-z0-9][\w.-]*$/.test(name)) {
    throw new Error(`phase name: expected letters, digits, "-", "_" or "." (e.g. "surge"), got ${JSON.stringify(name)}`);
  }
  const durationMs = wrap('duration', () => parsePositiveDuration(duration));
  const spec = typeof load === 'string' ? parseLoadText(load) : load;
  if (spec.vus !== undefined) return { kind: 'closed', name, durationMs, vus: wrap('vus', () => values.vus(spec.vus)) };
  const { from, to } = wrap('rate', () => parseRateRange(spec.rate));
  if (from === 0 && to === 0) throw new Error(`rate: expected a rate above zero (or a ramp such as "0..50/s"), got ${JSON.stringify(spec.rate)}`);
  return { kind: 'open', name, durationMs, from, to };
}

function parseLoadText(load: string): { rate?: unknown; vus?: unknown } {
  const vus = /^vus=(.*)$/.exec(load.trim());
  return vus ? { vus: vus[1] } : { rate: load };
}

function wrap<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof UnitError) throw new Error(`${what}: ${err.message}`);
    throw err;
  }
}
