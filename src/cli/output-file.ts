// The files a command writes: `--json <file|->`, `--junit <file>`, `--summary-md <file>`. Before the run, everything that can be checked is (the directory exists, a file can be
// created in it — which `access()` cannot tell for root in /proc or /sys — and the target is not a
// directory or a device), so a bad path fails fast with exit 2. After the run the JSON is written first,
// before any report is rendered, and whole or not at all: into a temporary file created exclusively
// (O_EXCL, an unpredictable name, mode 0600, so a planted symlink cannot redirect it) in the target's
// directory, synced, then renamed over the target. If that fails (a full disk), the result is kept in a
// private temporary directory instead and the caller says where; if even that fails, it goes to stderr.
// "-" is stdout, written the same way: a full disk behind it keeps the text in such a directory too (a
// reader that went away, EPIPE, is not a failure). A measurement is never lost silently. The JUnit and markdown reports go the same way, after the JSON.
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, mkdtempSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

export function checkJsonTarget(target: string | undefined): void {
  checkOutputTarget('--json', target, { stdout: true });
}

/** Before the run: `target` of `flag` can be written (a file, or with `stdout` "-"); a UsageError otherwise. */
export function checkOutputTarget(flag: string, target: string | undefined, { stdout }: { stdout: boolean }): void {
  if (target === undefined || (stdout && target === '-')) return;
  if (target.trim() === '') throw new UsageError(`${flag}: expected a file name${stdout ? ', or "-" for stdout,' : ','} got an empty name`);
  if (target === '-') throw new UsageError(`${flag}: expected a file name (stdout carries the report), got "-"`);
  const path = resolve(target);
  const dir = dirname(path);
  const existing = statOrUndefined(path);
  if (existing?.isDirectory()) throw new UsageError(`${flag} ${target}: is a directory; give a file name`);
  if (existing && !existing.isFile()) throw new UsageError(`${flag} ${target}: is not a regular file (a device, a pipe or a socket); give a file name`);
  if (!statOrUndefined(dir)?.isDirectory()) throw new UsageError(`${flag} ${target}: the directory ${dir} does not exist`);
  // Root passes access(W_OK) everywhere; only creating a file tells whether one can be created here.
  let probe: string | undefined;
  try {
    probe = createExclusive(dir, basename(path)).path;
  } catch (err) {
    throw new UsageError(`${flag} ${target}: cannot create a file in ${dir} (${errorCode(err)})`);
  } finally {
    if (probe) unlinkQuietly(probe);
  }
}

/** Where the document ended up: the file asked for, a fallback file, or stderr. */
export type JsonSaved = { where: 'target' | 'stdout' } | { where: 'fallback'; path: string; problem: string } | { where: 'stderr'; problem: string };

/** Writes the document to the file (atomically) or, for "-", to stdout; never rejects for an I/O failure. */
export function writeJson(target: string, document: unknown): Promise<JsonSaved> {
  return writeOutput(target, `${JSON.stringify(document, null, 2)}\n`, 'result.json');
}

/**
 * Writes text to the file (atomically) or, for "-", to stdout (a file of `name` where it is kept when
 * stdout cannot take it); never rejects for an I/O failure.
 */
export async function writeOutput(target: string, text: string, name = 'output'): Promise<JsonSaved> {
  return target === '-' ? writeStdout(text, name) : writeFileSafely(target, text);
}

/** Writes `text` to the file `target` atomically; else into a private temporary directory; else to stderr. Never throws. */
export function writeFileSafely(target: string, text: string): JsonSaved {
  const path = resolve(target);
  try {
    writeAtomically(path, text, modeFor(path));
    return { where: 'target' };
  } catch (err) {
    return keepPrivately(basename(path), text, `${errorCode(err)} writing ${target}`);
  }
}

/**
 * Writes `text` to stdout and waits until it is written. A reader that went away (EPIPE: `--json - |
 * head`; EIO: the terminal closed) did not want the rest: that is not a failure. Stdout that cannot take
 * it (a full disk behind it, /dev/full) is one: the text is kept as a file named `name` in a private
 * temporary directory, as a file that cannot be written is. Never rejects.
 */
export async function writeStdout(text: string, name: string): Promise<JsonSaved> {
  const failed = await new Promise<Error | null | undefined>((done) => {
    try {
      process.stdout.write(text, (err) => {
        // Before the stream emits it (a writable's callback comes first): the guard leaves it to us.
        if (err) kept.add(err);
        done(err);
      });
    } catch (err) {
      done(err as Error);
    }
  });
  if (!failed || readerGone(failed)) return { where: 'stdout' };
  return keepPrivately(name, text, `${errorCode(failed)} writing stdout`);
}

/** After a failed write: the text in a private temporary directory (0700, the file 0600); else on stderr. */
function keepPrivately(name: string, text: string, problem: string): JsonSaved {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'incident-load-'));
    const fallback = join(dir, name);
    writeAtomically(fallback, text, 0o600);
    return { where: 'fallback', path: fallback, problem };
  } catch (err) {
    process.stderr.write(text);
    return { where: 'stderr', problem: `${problem}; and ${errorCode(err)} writing a copy in ${tmpdir()}` };
  }
}

/** Stdout's failed writes that a writer kept (its text saved, said): the guard says nothing more of them. */
const kept = new WeakSet<Error>();
let stdoutLost: Error | undefined;

/** EPIPE, EIO: the reader of stdout (a pipe, a terminal) is gone; what it did not read was not wanted. */
function readerGone(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EPIPE' || code === 'EIO';
}

/**
 * For main.ts, before the command runs: a failed write to stdout or stderr is never an uncaught
 * exception (a stack trace, exit 1). A reader that went away changes nothing (the run's exit code stays
 * what it is); stdout that cannot take what was printed there (a full disk) is said after the command,
 * by `stdoutLostMessage`, unless the writer kept the text (writeStdout). Stderr has nowhere to say it.
 */
export function guardStdio(): void {
  process.stdout.on('error', (err: Error) => {
    if (!readerGone(err) && !kept.has(err)) stdoutLost ??= err;
  });
  process.stderr.on('error', () => {});
}

/** What to tell the user when something printed on stdout was lost (undefined when nothing was). */
export function stdoutLostMessage(): string | undefined {
  return stdoutLost && `could not write to stdout (${errorCode(stdoutLost)}): what was printed there is lost`;
}

/** What to tell the user when the JSON did not land where asked (undefined when it did). */
export function jsonSavedMessage(saved: JsonSaved): string | undefined {
  if (saved.where === 'fallback') return `could not write --json (${saved.problem}); the result is saved in ${saved.path}`;
  return savedMessage('--json', saved, 'the result JSON');
}

/** What to tell the user when a file of `flag` did not land where asked (undefined when it did). */
export function savedMessage(flag: string, saved: JsonSaved, what: string): string | undefined {
  if (saved.where === 'fallback') return `could not write ${flag} (${saved.problem}); ${what} is saved in ${saved.path}`;
  if (saved.where === 'stderr') return `could not write ${flag} (${saved.problem}); ${what} is printed above on stderr`;
  return undefined;
}

function writeAtomically(path: string, text: string, mode: number): void {
  const { fd, path: tmp } = createExclusive(dirname(path), basename(path));
  try {
    const bytes = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
    fsyncSync(fd);
    fchmodSync(fd, mode);
  } catch (err) {
    closeSync(fd);
    unlinkQuietly(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkQuietly(tmp);
    throw err;
  }
}

/** A new file beside `name` in `dir`, created with O_CREAT|O_EXCL (never through a symlink), mode 0600. */
function createExclusive(dir: string, name: string): { fd: number; path: string } {
  const path = join(dir, `.${name}.${randomBytes(8).toString('hex')}.tmp`);
  return { fd: openSync(path, 'wx', 0o600), path };
}

/** An existing file keeps its mode; a new one gets what the umask gives any new file. */
function modeFor(path: string): number {
  const existing = statOrUndefined(path);
  if (existing?.isFile()) return existing.mode & 0o777;
  return 0o666 & ~process.umask();
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}${e.message ? `: ${e.message.replace(/^[A-Z]+: /, '').replace(/, \w+( '.*')?$/, '')}` : ''}` : String(err);
}

/** The reports a command can write besides its JSON: `--html <file>`, `--junit <file>`, `--summary-md <file>`. */
export interface ReportTargets {
  html?: string;
  junit?: string;
  summaryMd?: string;
}

/** The renderers of the reports asked for; each is only called when its flag was given. */
export interface ReportRenderers {
  html?: () => string;
  junit?: () => string;
  summary?: () => string;
}

/** Before the run, like --json: each a file (none of them goes to stdout, which carries the report). */
export function checkReportTargets(targets: ReportTargets): void {
  checkOutputTarget('--html', targets.html, { stdout: false });
  checkOutputTarget('--junit', targets.junit, { stdout: false });
  checkOutputTarget('--summary-md', targets.summaryMd, { stdout: false });
}

/**
 * After the JSON: each report asked for, rendered and written the same way (atomically, else kept in a
 * private temporary directory); what to tell the user for each that did not land where asked. A renderer
 * that throws (a bug) is said so and writes nothing: the JSON, written before, is safe.
 */
export function writeReports(targets: ReportTargets, render: ReportRenderers): string[] {
  const lost: string[] = [];
  const write = (flag: string, target: string | undefined, renderer: (() => string) | undefined, what: string): void => {
    if (target === undefined || renderer === undefined) return;
    let text: string;
    try {
      text = renderer();
    } catch (err) {
      lost.push(`could not render ${flag} ${target} (${err instanceof Error ? err.message : String(err)}); nothing was written there`);
      return;
    }
    const message = savedMessage(flag, writeFileSafely(target, text), what);
    if (message) lost.push(message);
  };
  write('--html', targets.html, render.html, 'the report');
  write('--junit', targets.junit, render.junit, 'the JUnit XML');
  write('--summary-md', targets.summaryMd, render.summary, 'the markdown summary');
  return lost;
}
