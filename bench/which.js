// Finds an executable on PATH (plus the sbin directories, where Debian puts nginx), without a shell.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function which(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
