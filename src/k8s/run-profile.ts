// The profile as the pods will run it: the user's file (or the bundled profile) as written, comments and
// all, with what the command line changes written into it — a --target, --speed, --seed, --threshold —
// so that the ConfigMap says what runs and every pod runs exactly that. (With the bundled mock the target
// stays "mock" here: a profile with a URL target must run at speed 1, and the mock keeps incident time;
// the pods are given the mock Service's URL with its control API, the same for all, in the Job's args.
// Through the proxy, the target is written `{url, proxy: true}`: each pod's ramp starts its own proxy.)
import { parseDocument } from 'yaml';

export interface ProfileChanges {
  /** A URL the pods send to (--target); undefined with the bundled mock. */
  target?: string | undefined;
  /** Through the proxy in each pod, in front of `target`: written as `target: {url, proxy: true}`. */
  proxy?: boolean | undefined;
  speed?: number | undefined;
  seed?: number | undefined;
  /** Replace the profile's thresholds. */
  thresholds?: readonly string[] | undefined;
}

/** `text` (YAML or JSON) with the changes set; throws Error when the text is not one YAML document. */
export function runProfileYaml(text: string, changes: ProfileChanges, header: readonly string[]): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message);
  if (changes.target !== undefined) doc.set('target', changes.proxy ? doc.createNode({ url: changes.target, proxy: true }) : changes.target);
  if (changes.speed !== undefined) doc.set('speed', changes.speed);
  if (changes.seed !== undefined) doc.set('seed', changes.seed);
  if (changes.thresholds !== undefined) doc.set('thresholds', doc.createNode([...changes.thresholds]));
  // The header's lines stay lines (a path may hold a line break); the file's own comment as it is.
  const lines = header.map((l) => ` ${l.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?')}`.trimEnd());
  doc.commentBefore = [...lines, ...(doc.commentBefore ? [doc.commentBefore] : [])].join('\n');
  return doc.toString({ lineWidth: 0 });
}
