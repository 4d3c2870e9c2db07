// The engine in process, against loopback servers this test starts: the end of the schedule drains what
// is in flight, an interrupt (at once or later) stops it with what was measured, an absurd rate still
// yields to the event loop, and a failure stops the run at once.
import { afterAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/profile/load.js';
import { buildRunPlan } from '../../src/run/plan.js';
import { LoadRun, type LoadPlan } from '../../src/run/engine/load-run.js';
import type { Phase } from '../../src/schedule/phase.js';
import { plainServer, type TestServer } from '../support/servers.js';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function planFor(phases: Phase[], delayMs = 0): Promise<LoadPlan> {
  const server = await plainServer(delayMs);
  servers.push(server);
  // Only the client settings are used: the quickstart's fault is skipped (nobody would apply it at a URL).
  const plan = buildRunPlan(loadProfile('quickstart'), { target: server.url, phases, timeoutMs: 60_000, skipFaults: true });
  return { origin: new URL(server.url).origin, phases, speed: 1, seed: 1, client: plan.client };
}

const open = (durationMs: number, rate: number): Phase => ({ kind: 'open', name: 'a', durationMs, from: rate, to: rate });

describe('LoadRun', () => {
  it('at the end of the schedule, what is in flight goes on to its answer (a drain, not an abort)', async () => {
    // 200 ms of arrivals, each answered 300 ms later: at the schedule's end every request is still out.
    const run = (await LoadRun.prepare(await planFor([open(200, 50)], 300))).start();
    const measured = await run.measurement;
    expect(measured.interrupted).toBe(false);
    expect(measured.total.offered).toBe(10);
    expect(measured.total.ok).toBe(10);
    expect(measured.total.unfinished).toBe(0);
    expect(measured.wallMs).toBeGreaterThanOrEqual(300);
  });

  it('an interrupt during the run stops sending, and requests still out count as unfinished, not failed', async () => {
    const run = (await LoadRun.prepare(await planFor([open(30_000, 50)], 60_000))).start();
    setTimeout(() => run.interrupt(), 300);
    const measured = await run.measurement;
    expect(measured.interrupted).toBe(true);
    expect(measured.total.durationMs).toBeLessThan(30_000);
    expect(measured.total.sent).toBeGreaterThan(0);
    expect(measured.total.unfinished).toBe(measured.total.sent);
    expect(measured.total.failed).toBe(0);
  });

  it('an interrupt at once, before any arrival is due, ends the run with nothing measured', async () => {
    const run = (await LoadRun.prepare(await planFor([open(30_000, 1)]))).start();
    run.interrupt();
    run.interrupt(); // twice is fine
    const measured = await run.measurement;
    expect(measured.interrupted).toBe(true);
    expect(measured.total.offered).toBeLessThanOrEqual(1);
  });

  it('yields to the event loop at an absurd rate (1e12/s), so a timer — an interrupt — gets in', async () => {
    const run = (await LoadRun.prepare(await planFor([open(60_000, 1e12)]))).start();
    // Without yielding, the loop never lets this timer fire and the run never ends.
    setTimeout(() => run.interrupt(), 200);
    const measured = await run.measurement;
    expect(measured.interrupted).toBe(true);
    const phase = measured.phases[0]!;
    expect(phase.offered).toBeGreaterThan(1024);
    // Arrivals kept their order and none left early: every send lag is zero or positive.
    expect(phase.sendLagMs!.min).toBeGreaterThanOrEqual(0);
    expect(phase.sent + phase.dropped).toBe(phase.offered);
  });

  it('stops at once when a part it depends on fails: in flight is unfinished, the failure recorded', async () => {
    // A target that holds every answer for a minute: whatever was sent is still in flight.
    const run = (await LoadRun.prepare(await planFor([open(30_000, 50)], 60_000))).start();
    setTimeout(() => run.fail({ kind: 'mock-exited', message: 'the bundled mock exited (SIGKILL)', atWall: performance.now() }), 300);
    const measured = await run.measurement;
    expect(measured.interrupted).toBe(false);
    expect(measured.failure).toMatchObject({ kind: 'mock-exited', message: 'the bundled mock exited (SIGKILL)' });
    expect(measured.failure!.atMs).toBeGreaterThan(0);
    expect(measured.total.durationMs).toBeLessThan(30_000);
    expect(measured.total.failed).toBe(0);
    expect(measured.total.unfinished).toBe(measured.total.sent);
    expect(measured.total.sent).toBeGreaterThan(0);
    // A second report, or one after the result, changes nothing.
    run.fail({ kind: 'mock-unresponsive', message: 'late', atWall: performance.now() });
    expect(measured.failure!.kind).toBe('mock-exited');
  });
});
