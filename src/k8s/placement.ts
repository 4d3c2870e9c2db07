// Where a run's pods may go: --node-selector k=v (nodes that must have the label), --toleration
// key=value:Effect (taints the pods tolerate), --affinity-label k=v (nodes to prefer), each checked as the
// apiserver would check it, then laid out on every pod of the run (the generators and the mock).
import type { Affinity, Toleration } from 'kubernetes-types/core/v1.js';
import { ManifestInputError } from './names.js';

export interface Placement {
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
  /** Node labels preferred (preferredDuringScheduling, each of weight 100). */
  preferred: [string, string][];
}

export const NO_PLACEMENT: Placement = { nodeSelector: {}, tolerations: [], preferred: [] };

/** A qualified name (a label key): an optional DNS-subdomain prefix and "/", then a name of at most 63. */
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A label value: empty, or at most 63 of these. */
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

function checkKey(flag: string, key: string, raw: string): string {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (!NAME.test(name) || (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix))))
    throw new ManifestInputError(
      `${flag}: expected a label key such as "pool" or "example.com/pool" (letters, digits, "-", "_", "." and one "/" after a DNS prefix), got ${JSON.stringify(raw)}`,
    );
  return key;
}

function checkValue(flag: string, value: string, raw: string): string {
  if (!VALUE.test(value))
    throw new ManifestInputError(
      `${flag}: expected a label value of at most 63 letters, digits, "-", "_" or "." (starting and ending with a letter or digit), got ${JSON.stringify(raw)}`,
    );
  return value;
}

/** `pool=load` -> ["pool", "load"], checked. */
export function parseLabel(flag: string, raw: string): [string, string] {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new ManifestInputError(`${flag}: expected key=value, such as pool=load-generators, got ${JSON.stringify(raw)}`);
  return [checkKey(flag, raw.slice(0, eq), raw), checkValue(flag, raw.slice(eq + 1), raw)];
}

/** `dedicated=load:NoSchedule` (operator Equal) or `dedicated:NoSchedule` (operator Exists), checked. */
export function parseToleration(raw: string): Toleration {
  const flag = '--toleration';
  const colon = raw.lastIndexOf(':');
  const effect = colon < 0 ? '' : raw.slice(colon + 1);
  if (colon <= 0 || !(EFFECTS as readonly string[]).includes(effect))
    throw new ManifestInputError(`${flag}: expected key=value:Effect or key:Effect, the effect one of ${EFFECTS.join(', ')}, got ${JSON.stringify(raw)}`);
  const taint = raw.slice(0, colon);
  const eq = taint.indexOf('=');
  if (eq < 0) return { key: checkKey(flag, taint, raw), operator: 'Exists', effect };
  return { key: checkKey(flag, taint.slice(0, eq), raw), operator: 'Equal', value: checkValue(flag, taint.slice(eq + 1), raw), effect };
}

/** The pod spec's fields for a placement (none when nothing was asked). */
export function placementSpec(placement: Placement): { nodeSelector?: Record<string, string>; tolerations?: Toleration[]; affinity?: Affinity } {
  return {
    ...(Object.keys(placement.nodeSelector).length > 0 ? { nodeSelector: { ...placement.nodeSelector } } : {}),
    ...(placement.tolerations.length > 0 ? { tolerations: placement.tolerations.map((t) => ({ ...t })) } : {}),
    ...(placement.preferred.length > 0
      ? {
          affinity: {
            nodeAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: placement.preferred.map(([key, value]) => ({
                weight: 100,
                preference: { matchExpressions: [{ key, operator: 'In', values: [value] }] },
              })),
            },
          },
        }
      : {}),
  };
}
