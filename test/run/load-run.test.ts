// The run's clock when the world around it misbehaves: an absurd rate must not block the event loop.
import { afterAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/profile/load.js';
import { buildRunPlan } from '../../src/run/plan.js';
import { LoadRun, type LoadPlan } from '../../src/run/load-run.js';
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
});
