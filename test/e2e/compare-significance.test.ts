// A real change seen through the product's path: the same profile against the bundled mock's model with
// the fleet doubled, run in virtual time (the real client, engine and recorder; an exact clock), is "real"
// in success (counts, one run a side) and "needs-repeats" in p99. How often the gate is wrong — false
// alarms over many seed pairs, misses of changes made on purpose — is measured in virtual time too, in
// test/report/compare-gate.test.ts. The same comparison over HTTP, from the command line, is
// test/e2e/compare.test.ts's ("compare profiles").
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildComparison, type CompareInput } from '../../src/report/compare/comparison.js';
import { loadProfile } from '../../src/profile/load.js';
import { buildRunPlan } from '../../src/run/plan.js';
import { startVirtualRun } from '../../src/run/virtual-run.js';
import type { RunResult } from '../../src/result/run-result.js';
import { writeFleetProfile } from '../support/fleet-profile.js';

const inputs = (results: RunResult[]): CompareInput[] => results.map((result) => ({ name: result.profile.name, source: { kind: 'ran' }, result }));

describe('compare significance: a real change', () => {
  it('the same profile against the bundled mock with the fleet doubled is "real" in success; p99 needs repeats', async () => {
    // test/support/fleet-profile.ts says what these two are and why they are built so.
    const dir = mkdtempSync(join(tmpdir(), 'incident-load-significance-'));
    const profile = (workers: number): string => writeFleetProfile(dir, workers);
    const results: RunResult[] = [];
    for (const workers of [4, 8]) results.push(await startVirtualRun(buildRunPlan(loadProfile(profile(workers)))).result);
    const cell = buildComparison(inputs(results)).rows.find((r) => r.phase === 'load')!.cells[1]!;
    // The phase compared: 16% turned away with 4 workers (exactly this share: same seed, same run), none
    // with 8.
    expect(results[0]!.phases[1]!.successRatio).toBeCloseTo(0.840243, 6);
    expect(results[1]!.phases[1]!.successRatio).toBe(1);
    expect(cell.differences.success).toMatchObject({ direction: 'up', significance: { verdict: 'real', method: 'effective-count' } });
    expect(cell.differences.success!.significance!.interval![0]).toBeGreaterThan(0);
    // One run a side: a p99 is not judged, and the verdict says so.
    expect(cell.differences.p99).toMatchObject({ direction: 'down', significance: { verdict: 'needs-repeats' } });
  });
});
