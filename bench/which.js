// Finds an executable on PATH (plus the sbin directories, where Debian puts nginx), without a shell.
// BENCH_WITHOUT=wrk,nginx,autocannon pretends those are not installed, to check the bench's skip path.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function pretendMissing(name) {
  return (process.env.BENCH_WITHOUT ?? '')
    .split(',')
    .map((s) => s.trim())
    .includes(name);
}

export function which(name) {
  if (pretendMissing(name)) return undefined;
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
