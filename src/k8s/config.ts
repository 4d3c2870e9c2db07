// The run's ConfigMap (the profile as it will run, mounted read-only in every pod, so no pod can run
// another) and its Secret (the barrier's token, and with the bundled mock its control token: generated for
// this run, mounted as files, never in an argument or an image; and what the profile references as
// `${env.NAME}`, with the target URL's credentials, given to the generators as environment variables —
// never in the ConfigMap).
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import { labels } from './labels.js';
import { objectNames } from './names.js';
import { envSecretKey, TOKEN_KEYS, type RunManifestInput } from './run-input.js';

export function profileConfigMap(run: RunManifestInput): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(run, objectNames(run.name).profile, 'profile'),
    // Immutable: a ConfigMap edited while the Job runs would give late pods another profile.
    immutable: true,
    data: { 'profile.yaml': run.profileYaml },
  };
}

export function tokenSecret(run: RunManifestInput): Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(run, objectNames(run.name).tokens, 'tokens'),
    type: 'Opaque',
    immutable: true,
    stringData: {
      [TOKEN_KEYS.barrier]: run.tokens.barrier,
      ...(run.mock ? { [TOKEN_KEYS.control]: run.tokens.control } : {}),
      ...Object.fromEntries(run.secretEnv.map((e) => [envSecretKey(e.name), e.value])),
    },
  };
}

export function metadata(run: RunManifestInput, name: string, component: Parameters<typeof labels>[1]) {
  return { name, ...(run.namespace !== undefined ? { namespace: run.namespace } : {}), labels: labels(run, component) };
}
