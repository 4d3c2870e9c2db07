// Results that are valid in every field but far larger than a run writes (audit 2026-12-07, 3.2): each
// limit is checked as the file is read, before anything is rendered, and beyond it every reader exits 2
// naming the field, where `report` overflowed the stack, ran for minutes or wrote a 110 MB page.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/run-result.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { simulated, writeJson } from '../support/saved-results.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-result-limits-'));
const base = simulated();
const good = writeJson(dir, 'good.json', base);
const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

async function refusedByEveryReader(file: string, what: RegExp): Promise<void> {
  for (const args of [
    ['report', file],
    ['compare', good, file],
  ]) {
    const res = await runCliInProcess(args);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(what);
    expect(res.stderr).not.toMatch(/\n\s+at |RangeError/);
  }
}

describe('a result larger than a run writes is refused as it is read', () => {
  const cases: [string, () => RunResult, RegExp][] = [
    [
      '200,000 error kinds (a stack overflow in report before)',
      () => ({ ...base, total: { ...base.total, errors: Object.fromEntries(many(200_000, (i) => [`kind-${i}`, 0])) } }),
      /total\.errors: expected at most 100 kinds of error/,
    ],
    [
      '200,000 thresholds (a stack overflow in report before)',
      () => ({ ...base, thresholds: many(200_000, (i) => ({ expr: `p99 < ${i}ms`, ok: true, actual: 1 })) }),
      /thresholds: expected at most 1000 thresholds/,
    ],
    [
      '10,000 phases (more than 125 s of report before)',
      () => ({ ...base, phases: many(10_000, (i) => ({ ...base.phases[0]!, name: `p${i}` })) }),
      /phases: expected at most 1000 phases/,
    ],
    [
      '200,000 faults (a 110 MB HTML page before)',
      () => ({ ...base, faults: many(200_000, (i) => ({ at: i, fault: 'shrink-fleet', params: { workers: 4 } })) }),
      /faults: expected at most 1000 faults/,
    ],
    ['12,000 timeline windows', () => ({ ...base, timeline: many(12_000, () => base.timeline[0]!) }), /timeline: expected at most 10000 timeline windows/],
  ];
  for (const [name, make, what] of cases) {
    it(name, async () => {
      await refusedByEveryReader(writeJson(dir, `${name.slice(0, 12).replace(/\W/g, '-')}.json`, make()), what);
    });
  }

  it('fault params nested 50,000 deep (a stack overflow in report before)', async () => {
    const deep = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    const text = JSON.stringify({ ...base, faults: [{ at: 0, fault: 'shrink-fleet', params: { deep: '@DEEP@' } }] }).replace('"@DEEP@"', deep);
    const file = join(dir, 'deep.json');
    writeFileSync(file, text);
    await refusedByEveryReader(file, /faults\[0\]\.params: expected params nested at most 8 deep/);
  });
});
