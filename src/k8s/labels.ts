// The labels every object of a run carries (the recommended app.kubernetes.io set), and the selector of
// each part: the generator pods (the Job's), the mock's pod. `kubectl logs -l` and `kubectl delete -l` use
// them too.
import type { RunManifestInput } from './run-input.js';

export type Component = 'generator' | 'mock' | 'profile' | 'tokens' | 'barrier';

export function labels(run: RunManifestInput, component: Component): Record<string, string> {
  return { ...selector(run, component), 'app.kubernetes.io/name': 'incident-load', 'app.kubernetes.io/version': run.version };
}

export function selector(run: RunManifestInput, component: Component): Record<string, string> {
  return { 'app.kubernetes.io/instance': run.name, 'app.kubernetes.io/component': component };
}

/** The selector for `kubectl logs -l …`: the generator pods of this run. */
export function generatorSelector(name: string): string {
  return `app.kubernetes.io/instance=${name},app.kubernetes.io/component=generator`;
}
