// The run's clock when the world around it misbehaves: an absurd rate must not block the event loop, a
// companion that never answers must not hold up the end, and a broken part stops the run at once.
import { afterAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/profile/load.js';
import { buildRunPlan } from '../../src/run/plan.js';
import { LoadRun, type LoadPlan, type RunCompanion } from '../../src/run/load-run.js';
import type { Phase } from '../../src/schedule/phase.js';
import { plainServer, type TestServer } from '../support/servers.js';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function planFor(phases: Phase[], delayMs = 0): Promise<LoadPlan> {
  const server = await plainServer(delayMs);
  servers.push(server);
  const plan = buildRunPlan(loadProfile('quickstart'), { target: server.url, phases, timeoutMs: 60_000 });
  return { origin: new URL(server.url).origin, phases, speed: 1, seed: 1, client: plan.client };
}

const open = (durationMs: number, rate: number): Phase => ({ kind: 'open', name: 'a', durationMs, from: rate, to: rate });

/** A mock that never answers: its samples and its idle() stay pending for ever. */
function silentCompanion(): RunCompanion & { samples: number } {
  return {
    samples: 0,
    nextEventMs: () => Infinity,
    tick: () => {},
    sample() {
      this.samples++;
      return new Promise(() => {});
    },
    idle: () => new Promise(() => {}),
    faults: () => [],
  };
}

describe('LoadRun', () => {
  it('yields to the event loop at an absurd rate (1e12/s), so a timer — an interrupt — gets in', async () => {
    const run = new LoadRun(await planFor([open(60_000, 1e12)]));
    // Without yielding, the loop never lets this timer fire and the run never ends.
    setTimeout(() => run.interrupt(), 200);
    const measured = await run.run();
    expect(measured.interrupted).toBe(true);
    const phase = measured.phases[0]!;
    expect(phase.offered).toBeGreaterThan(1024);
    // Arrivals kept their order and none left early: every send lag is zero or positive.
    expect(phase.sendLagMs!.min).toBeGreaterThanOrEqual(0);
    expect(phase.sent + phase.dropped).toBe(phase.offered);
  });

  it('keeps at most one sample in flight, and ends although the companion never answers', async () => {
    const companion = silentCompanion();
    const run = new LoadRun(await planFor([open(300, 50)]), companion);
    const measured = await run.run();
    expect(measured.interrupted).toBe(false);
    expect(measured.total.ok).toBe(measured.total.offered);
    // Every window after the first closed while the first sample was still pending: none queued behind it.
    expect(companion.samples).toBe(1);
  });

  it('stops at once when a part it depends on fails: in flight is unfinished, the failure recorded', async () => {
    // A target that holds every answer for a minute: whatever was sent is still in flight.
    const run = new LoadRun(await planFor([open(30_000, 50)], 60_000));
    setTimeout(() => run.fail({ kind: 'mock-exited', message: 'the bundled mock exited (SIGKILL)', atWall: performance.now() }), 300);
    const measured = await run.run();
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
