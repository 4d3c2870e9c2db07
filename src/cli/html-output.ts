// `--html <file>` (ramp, compare, merge, report): the HTML report, written as --json is (json-output.ts)
// — the path checked before anything runs, the file written whole or not at all through an exclusive
// temporary file renamed over it, and, when that fails, kept in a private temporary directory with a
// message saying where. It is written after the JSON, so a report that cannot be written or rendered
// never costs the measurement.
import { UsageError } from '../core/errors.js';
import { checkFileTarget, writeFileSafely, type JsonSaved } from './json-output.js';

export function checkHtmlTarget(target: string | undefined): void {
  if (target === undefined) return;
  if (target === '-') throw new UsageError('--html: expected a file name (the report is one HTML file; it does not go to stdout), got "-"');
  checkFileTarget('--html', target);
}

export function writeHtml(target: string, html: string): JsonSaved {
  return writeFileSafely(target, html);
}

/** What to tell the user when the report did not land where asked (undefined when it did). */
export function htmlSavedMessage(saved: JsonSaved): string | undefined {
  if (saved.where === 'fallback') return `could not write --html (${saved.problem}); the report is saved in ${saved.path}`;
  if (saved.where === 'stderr') return `could not write --html (${saved.problem}); the HTML report is printed above on stderr`;
  return undefined;
}

/**
 * Renders and writes the report; returns what to tell the user when it did not land where asked. A
 * renderer that throws (a bug) is reported the same way: the JSON, written before, is safe.
 */
export function saveHtml(target: string, render: () => string): string | undefined {
  let html: string;
  try {
    html = render();
  } catch (err) {
    return `could not render --html ${target} (${err instanceof Error ? err.message : String(err)}); nothing was written there`;
  }
  return htmlSavedMessage(writeHtml(target, html));
}
