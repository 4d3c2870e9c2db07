// A run's manifests, in the order `kubectl apply -f -` should create them (what is mounted or called before
// what mounts or calls it), and as one multi-document YAML stream.
import type { KubernetesObject } from './object.js';
import { stringify } from 'yaml';
import { barrierService } from './barrier-service.js';
import { profileConfigMap, tokenSecret } from './config.js';
import { generatorJob } from './job.js';
import { mockDeployment, mockService } from './mock.js';
import type { RunManifestInput } from './run-input.js';

export function runManifests(run: RunManifestInput): KubernetesObject[] {
  return [tokenSecret(run), profileConfigMap(run), ...(run.mock ? [mockService(run), mockDeployment(run)] : []), barrierService(run), generatorJob(run)];
}

/** `---`-separated YAML documents after a comment header (its lines without "# "). */
export function manifestsYaml(objects: readonly KubernetesObject[], header: readonly string[]): string {
  const head = header.map((l) => (l === '' ? '#' : `# ${l}`)).join('\n');
  const docs = objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }));
  return `${head}\n${docs.map((d) => `---\n${d}`).join('')}`;
}
