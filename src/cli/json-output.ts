// `--json <file|->`: checked before the run (so a bad path fails fast, exit 2) and written whole or not
// at all (a temporary file renamed into place), so a crash never leaves half a JSON document.
import { accessSync, constants, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './usage-error.js';

export function checkJsonTarget(target: string | undefined): void {
  if (target === undefined || target === '-') return;
  const dir = dirname(resolve(target));
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`--json ${target}: the directory ${dir} does not exist or is not writable`);
  }
  try {
    if (statSync(target).isDirectory()) throw new UsageError(`--json ${target}: is a directory; give a file name`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
}

/** Writes the document to the file (atomically) or, for "-", to stdout. */
export function writeJson(target: string, document: unknown): void {
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (target === '-') {
    process.stdout.write(text);
    return;
  }
  const tmp = `${resolve(target)}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, target);
}
