// A run's manifests, in the order `kubectl apply -f -` should create them (what is mounted or called before
// what mounts or calls it), and as one multi-document YAML stream that any YAML reader reads as the same
// objects: kubectl's (go-yaml, YAML 1.1) breaks lines at NEL, U+2028 and U+2029 too, which the `yaml`
// package writes as they are — text after one would be read as YAML of its own (audit 2026-12-07, item 1).
// So every string holding one (or another character go-yaml refuses) is written double-quoted with the
// character escaped, and the header comment keeps none of them.
import type { KubernetesObject } from './object.js';
import { Document, visit } from 'yaml';
import { barrierService } from './barrier-service.js';
import { profileConfigMap, tokenSecret } from './config.js';
import { generatorJob } from './job.js';
import { mockDeployment, mockService } from './mock.js';
import type { RunManifestInput } from './run-input.js';

export function runManifests(run: RunManifestInput): KubernetesObject[] {
  return [tokenSecret(run), profileConfigMap(run), ...(run.mock ? [mockService(run), mockDeployment(run)] : []), barrierService(run), generatorJob(run)];
}

/** What YAML 1.1 reads as a line break besides \n and \r, and what go-yaml refuses to read at all (C1, BOM, non-characters). */
const UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
/** In a comment, a line ends at any of these. */
const COMMENT_UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

/** `---`-separated YAML documents after a comment header (its lines without "# "). */
export function manifestsYaml(objects: readonly KubernetesObject[], header: readonly string[]): string {
  const head = header.map((l) => (l === '' ? '#' : `# ${commentText(l)}`)).join('\n');
  const docs = objects.map(safeYaml);
  return `${head}\n${docs.map((d) => `---\n${d}`).join('')}`;
}

/** A line of comment that stays one line for every YAML reader. */
export function commentText(line: string): string {
  return line.replace(COMMENT_UNSAFE, '?');
}

/** One object as YAML whose strings read back the same in YAML 1.1 and 1.2 alike. */
function safeYaml(object: KubernetesObject): string {
  const doc = new Document(object, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && UNSAFE.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  // Every such character is now inside a double-quoted string, where an escape means it exactly.
  return doc.toString({ lineWidth: 0 }).replace(UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
