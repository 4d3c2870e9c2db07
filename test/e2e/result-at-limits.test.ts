// A result at every limit the readers set (docs/limits.md) is read and reported, by the built CLI.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { simulated, writeJson } from '../support/saved-results.js';

const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

it('1000 phases, 1000 thresholds and 100 error kinds: read and reported', { timeout: 120_000 }, async () => {
  const base = simulated();
  const phase = base.phases[0]!;
  const file = writeJson(mkdtempSync(join(tmpdir(), 'incident-load-at-limits-')), 'at-limits.json', {
    ...base,
    phases: many(1000, (i) => ({ ...phase, name: `p${i}` })),
    thresholds: many(1000, (i) => ({ expr: `p99 < ${i + 1}ms`, ok: false, actual: 5 })),
    total: {
      ...base.total,
      errors: { ...Object.fromEntries(many(100 - Object.keys(base.total.errors).length, (i) => [`kind-${i}`, 0])), ...base.total.errors },
    },
  });
  const res = await runCli(['report', file], { timeoutMs: 110_000 });
  expect(res.code, res.stderr).toBe(0);
  expect(res.stdout).toMatch(/p999/);
});
