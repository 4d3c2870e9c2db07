// --workers in process, against a loopback server this test starts: the workers' segments add up to the
// schedule, a worker that fails fails the run with a message naming it (the rest keep what they measured),
// and every worker failing still ends the run, with nothing measured and the reason.
import { afterAll, describe, expect, it } from 'vitest';
import { Timebase } from '../../../src/core/timebase.js';
import { loadProfile } from '../../../src/profile/load.js';
import type { LoadPlan } from '../../../src/run/engine/load-run.js';
import { buildRunPlan } from '../../../src/run/plan.js';
import { WorkerRun } from '../../../src/run/workers/worker-pool.js';
import type { Phase } from '../../../src/schedule/phase.js';
import { plainServer, type TestServer } from '../../support/servers.js';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

const phases: Phase[] = [
  { kind: 'open', name: 'a', durationMs: 500, from: 100, to: 100 },
  { kind: 'open', name: 'b', durationMs: 500, from: 100, to: 300 },
];

async function plan(): Promise<LoadPlan> {
  const server = await plainServer();
  servers.push(server);
  // Only the client settings are used: the quickstart's fault is skipped (nobody would apply it at a URL).
  const built = buildRunPlan(loadProfile('quickstart'), { target: server.url, phases, timeoutMs: 60_000, skipFaults: true });
  return { origin: new URL(server.url).origin, phases, speed: 1, seed: 5, client: built.client };
}

const startNow = (run: WorkerRun): WorkerRun => run.start(new Timebase(performance.now() + 20, 1));

describe('WorkerRun', () => {
  it('runs the schedule in 3 threads: their segments add up to it, arrival for arrival', async () => {
    const run = startNow(await WorkerRun.prepare(await plan(), 3));
    const measured = await run.measurement;
    expect(measured.failure).toBeUndefined();
    expect(measured.phases.map((p) => p.offered)).toEqual([50, 100]);
    expect(measured.total.ok).toBe(150);
    expect(measured.segments.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(measured.segments.map((s) => s.offered)).toEqual([50, 50, 50]);
    expect(measured.timeline.reduce((s, w) => s + w.offered, 0)).toBe(150);
  });

  it('a worker that fails fails the run, naming the worker; every one failing still ends it', async () => {
    // An origin undici refuses: each worker throws as it starts its loop.
    const run = startNow(await WorkerRun.prepare({ ...(await plan()), origin: 'not a url' }, 2));
    const measured = await run.measurement;
    expect(measured.failure).toMatchObject({ kind: 'worker-exited' });
    expect(measured.failure!.message).toMatch(/^worker [12] of 2 failed: .*its share of the run is not in the result/);
    expect(measured.total.offered).toBe(0);
    // Cut short at incident time 0, as a run whose mock died at once: the phase it was in, empty.
    expect(measured.phases.map((p) => [p.name, p.offered])).toEqual([['a', 0]]);
  });

  it('an interrupt stops every worker with what it measured', async () => {
    const run = startNow(await WorkerRun.prepare({ ...(await plan()), phases: [{ kind: 'open', name: 'long', durationMs: 60_000, from: 100, to: 100 }] }, 2));
    setTimeout(() => run.interrupt(), 300);
    const measured = await run.measurement;
    expect(measured.interrupted).toBe(true);
    expect(measured.segments.every((s) => s.interrupted)).toBe(true);
    expect(measured.total.offered).toBeGreaterThan(0);
    expect(measured.total.offered).toBeLessThan(6000);
  });
});
