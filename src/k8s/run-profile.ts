// The profile as the pods will run it: the user's file (or the bundled profile) as written, comments and
// all, with what the command line changes written into it — the target the pods reach, and --speed,
// --seed, --threshold — so that the ConfigMap alone says what runs and every pod runs exactly that.
import { parseDocument } from 'yaml';

export interface ProfileChanges {
  target: string;
  speed?: number | undefined;
  seed?: number | undefined;
  /** Replace the profile's thresholds. */
  thresholds?: readonly string[] | undefined;
}

/** `text` (YAML or JSON) with the changes set; throws Error when the text is not one YAML document. */
export function runProfileYaml(text: string, changes: ProfileChanges, header: readonly string[]): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message);
  doc.set('target', changes.target);
  if (changes.speed !== undefined) doc.set('speed', changes.speed);
  if (changes.seed !== undefined) doc.set('seed', changes.seed);
  if (changes.thresholds !== undefined) doc.set('thresholds', doc.createNode([...changes.thresholds]));
  doc.commentBefore = [...header, ...(doc.commentBefore ? [doc.commentBefore] : [])].map((l) => ` ${l}`.trimEnd()).join('\n');
  return doc.toString({ lineWidth: 0 });
}
