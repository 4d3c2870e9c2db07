// `--mock fleet.workers=8` and the `set` fault: one setting changed by its path, in a new config (the input
// is never touched). A field of a section that is off turns the section on with its defaults; `routers=off`
// turns an optional section off, `routers=on` on with its defaults.
import { describe } from '../../core/units.js';
import { input, mockConfigDataSchema, mockConfigPaths, SECTION_NAMES, SWITCHABLE_SECTIONS, shapesFor } from './schema.js';
import type { MockConfig } from './types.js';

const OFF_WORDS = new Set(['off', 'none', 'false', 'no']);
const ON_WORDS = new Set(['on', 'true', 'yes']);
const SWITCHABLE = SWITCHABLE_SECTIONS;

/**
 * Parses the value for one path without applying it (used to check `set` faults in a profile before the
 * mock runs). Returns the parsed value; for a section path ("routers", "fleet.autoscale") `null` means off
 * and `{}` means on with its defaults. Throws an Error whose message names the key and what was expected.
 */
export function parseMockOverride(path: string, raw: unknown): unknown {
  if (SWITCHABLE.includes(path)) {
    const word = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
    if (word === false || (typeof word === 'string' && OFF_WORDS.has(word))) return null;
    if (word === true || (typeof word === 'string' && ON_WORDS.has(word))) return {};
    throw new Error(`${path}: expected "off" (or "on" for the section's defaults), got ${describe(raw)}`);
  }
  const cut = path.lastIndexOf('.');
  const shapes = shapesFor('input');
  const leafSchema = cut > 0 ? shapes[path.slice(0, cut)]?.[path.slice(cut + 1)] : undefined;
  if (!leafSchema) throw new Error(unknownPathMessage(path));
  const result = leafSchema.safeParse(raw);
  if (!result.success) throw new Error(`${path}: ${result.error.issues[0]?.message ?? 'invalid value'}`);
  return result.data;
}

function unknownPathMessage(path: string): string {
  const section = path.split('.')[0]!;
  const known = mockConfigPaths().filter((p) => p.startsWith(`${section}.`));
  const hint =
    known.length > 0 ? `known under ${section}: ${known.map((p) => p.slice(section.length + 1)).join(', ')}` : `sections: ${SECTION_NAMES.join(', ')}`;
  return `unknown mock setting "${path}" (${hint})`;
}

/**
 * `--mock fleet.workers=8`: returns a new MockConfig with one value changed (the input is not touched).
 * Setting a field of a section that is off turns the section on with its defaults for the other fields
 * (and the section around it, for `routers.autoscale.*`); `routers=off` turns an optional section off,
 * `routers=on` on with its defaults. Throws an Error naming the key and what was expected.
 */
export function applyMockOverride(config: MockConfig, path: string, raw: unknown): MockConfig {
  const value = parseMockOverride(path, raw);
  const next = structuredClone(config) as unknown as Record<string, unknown>;
  const isSection = SWITCHABLE.includes(path);
  const sectionPath = isSection ? path : path.slice(0, path.lastIndexOf('.'));
  const field = isSection ? undefined : path.slice(path.lastIndexOf('.') + 1);
  const parentParts = sectionPath.split('.');
  const sectionKey = parentParts.pop()!;
  const turningOff = isSection && value === null;
  let parent: Record<string, unknown> | undefined = next;
  for (let i = 0; i < parentParts.length && parent; i++) {
    // A section inside one that is off ("routers.autoscale.min" without routers) turns that one on first.
    if (parent[parentParts[i]!] === undefined && !turningOff) parent[parentParts[i]!] = turnOn(parentParts.slice(0, i + 1).join('.'), {});
    parent = parent[parentParts[i]!] as Record<string, unknown> | undefined;
  }
  const current = parent?.[sectionKey] as Record<string, unknown> | undefined;

  if (!parent) {
    // Turning off a section inside one that is already off: nothing to do.
  } else if (turningOff) delete parent[sectionKey];
  else if (current === undefined) parent[sectionKey] = turnOn(sectionPath, field === undefined ? {} : { [field]: raw });
  else if (field !== undefined) current[field] = value;

  const checked = mockConfigDataSchema.safeParse(next);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new Error(`${path}: ${issue ? `${[...issue.path].join('.')}: ${issue.message}` : 'invalid value'}`);
  }
  return checked.data;
}

/** A section that was off, turned on by an override: its defaults plus the overridden field. */
function turnOn(sectionPath: string, rawFields: Record<string, unknown>): unknown {
  const result = input.sections[sectionPath]!.safeParse(rawFields);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${[sectionPath, ...i.path].join('.')}: ${i.message}`);
  throw new Error(`${sectionPath} is off; to turn it on this way it needs ${problems.join('; ')}`);
}
