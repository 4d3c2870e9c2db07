// Where `incident-load mock` leaves its control token for `incident-load fault` (and for scripts): a
// file only the user can read, `control-<port>.token`, in a directory only the user can enter:
// $XDG_RUNTIME_DIR/incident-load, else ~/.cache/incident-load. The directory is created 0700 when
// missing and refused when someone else owns it or others may write to it (they could swap files in
// it); the file is created exclusively, 0600, never through a symlink, and removed when the mock stops.
import { closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export class TokenFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenFileError';
  }
}

export function tokenDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const runtime = env.XDG_RUNTIME_DIR;
  return runtime ? join(runtime, 'incident-load') : join(homedir(), '.cache', 'incident-load');
}

/** The token file of the mock whose control API listens on `port`. */
export function tokenFilePath(port: number, env: NodeJS.ProcessEnv = process.env): string {
  return join(tokenDirectory(env), `control-${port}.token`);
}

/** Writes the token for `port` and returns the file's path; TokenFileError when it must not. */
export function writeTokenFile(port: number, token: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = tokenDirectory(env);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new TokenFileError(`cannot create the token directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  checkPrivateDirectory(dir);
  const path = join(dir, `control-${port}.token`);
  // Only this user can have put anything here (checked above): a file left by a mock that was killed
  // before it could clean up. Nothing listens on its port any more (we just did), so it is stale.
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new TokenFileError(`cannot replace the stale token file ${path}: ${(err as NodeJS.ErrnoException).code}`);
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    throw new TokenFileError(`cannot create the token file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    writeSync(fd, `${token}\n`);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Removes the file if it is still there; never throws (the mock is stopping anyway). */
export function removeTokenFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** The token in a file (its first line); TokenFileError naming the file when there is none. */
export function readTokenFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new TokenFileError(`cannot read the token file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const token = text.split('\n')[0]!.trim();
  if (token === '') throw new TokenFileError(`the token file ${path} is empty`);
  return token;
}

function checkPrivateDirectory(dir: string): void {
  const stat = lstatSync(dir);
  const fix = 'set XDG_RUNTIME_DIR to a directory of your own, or fix its owner and mode (chmod 700)';
  if (!stat.isDirectory()) throw new TokenFileError(`the token directory ${dir} is not a directory (a symlink?): ${fix}`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw new TokenFileError(`the token directory ${dir} belongs to uid ${stat.uid}, not to you (uid ${uid}): ${fix}`);
  if ((stat.mode & 0o022) !== 0) throw new TokenFileError(`the token directory ${dir} is writable by others (mode ${(stat.mode & 0o777).toString(8)}): ${fix}`);
}
