// What-if sweeps (`incident-load sweep <profile> --vary key=v1,v2,...`): one setting varied over a list of
// values (or two, over the product of their lists), each combination a variant, each variant a run plan
// built the way ramp builds one. A key is `mock.<path>` (anything --mock takes), `client.<setting>` (the
// client settings ramp has flags for, named as the profile's client section names them) or `rate` (a
// factor on every open-model phase's rate; closed-model phases keep their users). Every value is read
// as its flag or profile field reads it, and every variant's plan is built, before anything runs: bad
// input is a UsageError naming --vary, the key and the value.
import { UsageError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { parsePositiveDuration, UnitError } from '../core/units.js';
import * as values from '../core/values.js';
import { applyMockOverride } from '../mock/config/index.js';
import { BACKOFFS, type Profile } from '../profile/profile.js';
import type { Phase } from '../schedule/phase.js';
import { buildRunPlan, type RunOverrides, type RunPlan } from './plan.js';

/** `--vary key=v1,v2,...` as written: the key and each value's text. */
export interface VarySpec {
  key: string;
  texts: string[];
}

/** The client settings a sweep can vary: the profile's client section's names, each with its flag's reader. */
const CLIENT_KEYS: Record<string, { flag: string; read: (raw: string) => unknown; override: keyof RunOverrides }> = {
  connections: { flag: '--connections', read: values.connections, override: 'connections' },
  maxInFlight: { flag: '--max-in-flight', read: values.maxInFlight, override: 'maxInFlight' },
  timeout: { flag: '--timeout', read: parsePositiveDuration, override: 'timeoutMs' },
  arrivals: { flag: '--arrivals', read: values.oneOf(['uniform', 'poisson'] as const), override: 'arrivals' },
  'retries.max': { flag: '--retries', read: values.retries, override: 'retries' },
  'retries.backoff': { flag: '--backoff', read: values.oneOf(BACKOFFS), override: 'backoff' },
};

/** The keys a sweep can vary, as help and messages list them. */
export const VARY_KEYS_HELP = `mock.<setting> (any --mock key), ${Object.keys(CLIENT_KEYS)
  .map((k) => `client.${k}`)
  .join(', ')}, or rate (a factor on every open-model phase's rate)`;

/** The largest rate factor: a sweep asks what if, not for a rate past every limit. */
const RATE_FACTOR_MAX = 1_000;
const readRateFactor = values.realNumber(`a factor above zero (at most ${RATE_FACTOR_MAX}), such as 0.5 or 2`, (n) => n > 0 && n <= RATE_FACTOR_MAX);

/** One value of a varied key: as written, and what it does to a run's overrides. */
export interface VaryValue {
  text: string;
  /** As the JSON keeps it: a number when written as a plain number, else the text as written. */
  value: number | string;
  apply: (overrides: RunOverrides) => void;
}

/** A varied key, every value read. `numeric`: every value is a plain number (a chart spaces them by value). */
export interface Vary {
  key: string;
  values: VaryValue[];
  numeric: boolean;
}

/** One combination of values (one per --vary, in --vary order) and the plan it runs. */
export interface Variant {
  values: Record<string, number | string>;
  /** "mock.fleet.workers=8, rate=1.5" */
  label: string;
  plan: RunPlan;
}

/** `--vary key=v1,v2,...`: the syntax alone (commander's argument parser). */
export function parseVarySpec(raw: string): VarySpec {
  const eq = raw.indexOf('=');
  const key = eq > 0 ? raw.slice(0, eq).trim() : '';
  const texts =
    eq > 0
      ? raw
          .slice(eq + 1)
          .split(',')
          .map((t) => t.trim())
      : [];
  if (key === '' || texts.length === 0 || texts.every((t) => t === ''))
    throw new UsageError(`--vary: expected key=v1,v2,... (e.g. mock.fleet.workers=8,16,24), got ${JSON.stringify(raw)}`);
  if (texts.includes('')) throw new UsageError(`--vary ${key}: expected values separated by single commas, got an empty one in ${JSON.stringify(raw)}`);
  const twice = texts.find((t, i) => texts.indexOf(t) !== i);
  if (twice !== undefined) throw new UsageError(`--vary ${key}: the value ${JSON.stringify(twice)} is given twice`);
  return { key, texts };
}

const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;

/** Every value of `spec` read as its flag or profile field reads it, against `profile`. */
export function readVary(profile: Profile, spec: VarySpec): Vary {
  const { key } = spec;
  const wrong = (text: string, message: string): UsageError => new UsageError(`--vary ${key}=${text}: ${message}`);
  let read: (text: string) => (overrides: RunOverrides) => void;
  if (key.startsWith('mock.')) {
    const path = key.slice('mock.'.length);
    read = (text) => {
      try {
        applyMockOverride(profile.mock, path, text);
      } catch (err) {
        throw wrong(text, err instanceof Error ? err.message : String(err));
      }
      return (o) => {
        o.mock = [...(o.mock ?? []), [path, text]];
      };
    };
  } else if (key.startsWith('client.')) {
    const setting = CLIENT_KEYS[key.slice('client.'.length)];
    if (!setting)
      throw new UsageError(
        `--vary ${key}: not a client setting a sweep can vary (expected one of ${Object.keys(CLIENT_KEYS)
          .map((k) => `client.${k}`)
          .join(', ')})`,
      );
    read = (text) => {
      let value: unknown;
      try {
        value = setting.read(text);
      } catch (err) {
        if (err instanceof UnitError) throw wrong(text, `${err.message} (as ${setting.flag} takes)`);
        throw err;
      }
      return (o) => void ((o as Record<string, unknown>)[setting.override] = value);
    };
  } else if (key === 'rate') {
    if (!profile.phases.some((p) => p.kind === 'open'))
      throw new UsageError(`--vary rate: scales the rate of open-model phases, and ${profile.name} has none (its closed-model phases keep their users)`);
    read = (text) => {
      let factor: number;
      try {
        factor = readRateFactor(text);
      } catch (err) {
        if (err instanceof UnitError) throw wrong(text, err.message);
        throw err;
      }
      const phases = profile.phases.map((p) => scaleRate(p, factor));
      const over = phases.find((p) => p.kind === 'open' && Math.max(p.from, p.to) > LIMITS.rateMax);
      if (over) throw wrong(text, `phase ${over.name} would offer more than ${LIMITS.rateMax}/s, the most a phase may`);
      return (o) => {
        o.phases = phases;
      };
    };
  } else {
    throw new UsageError(`--vary ${key}: unknown key (expected ${VARY_KEYS_HELP})`);
  }
  return {
    key,
    values: spec.texts.map((text) => ({ text, value: PLAIN_NUMBER.test(text) ? Number(text) : text, apply: read(text) })),
    numeric: spec.texts.every((t) => PLAIN_NUMBER.test(t)),
  };
}

/** An open-model phase with its rate times `factor`; a closed-model phase as it is. */
export function scaleRate(phase: Phase, factor: number): Phase {
  return phase.kind === 'open' ? { ...phase, from: phase.from * factor, to: phase.to * factor } : phase;
}

/**
 * Every variant of the sweep, its plan built on `base` (the flags every variant shares) and its values:
 * the first --vary's values in order, the second's within each (the product). A problem that only a
 * combination has (a fault the preflight refuses on that many workers) names the combination.
 */
export function sweepVariants(profile: Profile, base: RunOverrides, specs: readonly VarySpec[]): { varies: Vary[]; variants: Variant[] } {
  if (specs.length === 0) throw new UsageError('sweep: expected --vary key=v1,v2,... (one or two)');
  if (specs.length > 2) throw new UsageError(`--vary: expected one or two (a table or a grid), got ${specs.length}`);
  if (specs.length === 2 && specs[0]!.key === specs[1]!.key) throw new UsageError(`--vary ${specs[0]!.key}: given twice; give each key once`);
  const count = specs.reduce((n, s) => n * s.texts.length, 1);
  if (count > LIMITS.sweepVariantsMax)
    throw new UsageError(`--vary: ${specs.map((s) => s.texts.length).join(' × ')} = ${count} variants; a sweep runs at most ${LIMITS.sweepVariantsMax}`);
  // The flags every variant shares, alone: their problems are theirs, not a variant's.
  buildRunPlan(profile, base);
  const varies = specs.map((s) => readVary(profile, s));
  const combos: VaryValue[][] = varies.reduce<VaryValue[][]>((acc, v) => acc.flatMap((c) => v.values.map((x) => [...c, x])), [[]]);
  const variants = combos.map((combo): Variant => {
    const overrides: RunOverrides = { ...base, ...(base.mock ? { mock: [...base.mock] } : {}) };
    for (const v of combo) v.apply(overrides);
    const label = combo.map((v, i) => `${varies[i]!.key}=${v.text}`).join(', ');
    let plan: RunPlan;
    try {
      plan = buildRunPlan(profile, overrides);
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`--vary ${label}: ${err.message}`);
      throw err;
    }
    return { values: Object.fromEntries(combo.map((v, i) => [varies[i]!.key, v.value])), label, plan };
  });
  return { varies, variants };
}
