import { describe, expect, it } from 'vitest';
import type { ServiceState } from '../../../src/mock/model/simulated-service.js';
import { model } from '../support/model.js';

// 2 nodes at 40 req/s of 1 MB each against a 16 MB/s collector: each node gains 20 - 16 = 4 MB/s from
// 100 MB towards its 1 GB limit, which it reaches after 225 s. Three nodes get 13.3 MB/s each, under
// the collector: memory drains at 2.7 MB/s. The autoscaler aims at 40% of the limit and reads every 10 s.
const routers = { count: 2, bytesPerRequest: '1MB', gcRate: '16MB/s', baseMemory: '100MB', memoryLimit: '1GB', restartAfter: '1m', restartJitter: 0 };
const autoscale = { min: 2, max: 6, targetMemory: 0.4, interval: '10s', provisionDelay: '30s' };
const fleet = { workers: 1000, serviceTime: '1s' };

/** Drives `rate` req/s (evenly spaced) for `seconds`, one snapshot of the state per second. */
function drive(service: ReturnType<typeof model>['service'], rec: ReturnType<typeof model>['rec'], seconds: number, rate: number): ServiceState[] {
  const states: ServiceState[] = [];
  for (let s = 0; s < seconds; s++) {
    rec.uniform(rate, rate);
    states.push(service.state());
  }
  return states;
}

const maxMemory = (s: ServiceState): number => Math.max(...s.routers.filter((r) => r.ready).map((r) => r.memory));

describe('routers.autoscale: the routing layer sized by memory', () => {
  it('adds a node provisionDelay after memory climbs past the target; memory then drains and no node fails readiness', () => {
    const { service, rec } = model({ routers: { ...routers, autoscale }, fleet });
    const states = drive(service, rec, 360, 40);

    // The first decision: the first reading 10% over the target (mean memory > 0.44 GB), at a multiple of the interval.
    const decided = states.findIndex((s) => s.routersProvisioning! > 0);
    expect(decided).toBeGreaterThan(0);
    expect(states[decided]!.t % 10_000).toBe(0);
    const meanAtDecision = states[decided]!.routers.reduce((sum, r) => sum + r.memory, 0) / 2;
    expect(meanAtDecision).toBeGreaterThan(440e6);
    // Until then memory climbed on both nodes (4 MB/s each, give or take the random garbage).
    expect(states[decided - 1]!.routers.every((r) => r.memory > 350e6)).toBe(true);
    // The node joins, fresh, exactly provisionDelay after the decision.
    const joined = states.findIndex((s) => s.routers.length === 3);
    expect(states[joined]!.t - states[decided]!.t).toBe(30_000);
    expect(states[joined - 1]!.routers).toHaveLength(2);
    expect(states[joined]!.routers[2]).toMatchObject({ id: 2, ready: true });
    expect(states[joined]!.routers[2]!.memory).toBeLessThan(110e6);
    // Three nodes are under the collector: the old ones drain, 2.7 MB/s (160 MB a minute).
    expect(maxMemory(states[joined + 60]!)).toBeLessThan(maxMemory(states[joined]!) - 100e6);
    expect(Math.max(...states.map(maxMemory))).toBeLessThan(800e6);
    // And nothing failed: every request served, never fewer than 2 nodes ready, never more than max.
    expect(service.state().counters.nodeFailures).toBe(0);
    expect(rec.answers.every((a) => a.status === 200)).toBe(true);
    expect(states.every((s) => s.routersReady! >= 2 && s.routers.length + s.routersProvisioning! <= 6)).toBe(true);
  });

  it('without autoscale, the same load fills both nodes past their limit', () => {
    const { service, rec } = model({ routers, fleet });
    drive(service, rec, 360, 40);
    expect(service.state().counters.nodeFailures).toBeGreaterThan(0);
    expect(rec.count(502)).toBeGreaterThan(0);
    expect(rec.count(503)).toBeGreaterThan(0);
  });

  it('scales back down to min when the load falls, and the requests in flight on a removed node are still answered', () => {
    const { service, rec } = model({ routers: { ...routers, autoscale }, fleet: { workers: 1000, serviceTime: '5s' } });
    const busy = drive(service, rec, 150, 40);
    expect(busy.at(-1)!.routers.length).toBeGreaterThan(2);
    // 1 req/s: 1 MB/s per node against 15 MB/s; memory goes back to its 100 MB floor, 10% of the limit.
    const quiet = drive(service, rec, 120, 1);
    const down = quiet.findIndex((s, i) => i > 0 && s.routers.length < quiet[i - 1]!.routers.length);
    expect(down).toBeGreaterThan(0);
    // Whoever left had requests in flight (5 s each), taken out of rotation, not failed.
    const before = quiet[down - 1]!.routers;
    const removed = before.filter((r) => !quiet[down]!.routers.some((n) => n.id === r.id));
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.reduce((sum, r) => sum + r.inFlight, 0)).toBeGreaterThan(0);
    expect(quiet.at(-1)!.routers).toHaveLength(2);
    expect(quiet.every((s) => s.routers.length >= 2)).toBe(true);
    service.advance(service.now + 10_000);
    expect(rec.answers).toHaveLength(rec.tasks.length);
    expect(rec.answers.every((a) => a.status === 200)).toBe(true);
    expect(service.state().counters.nodeFailures).toBe(0);
  });

  it('keeps within max even while memory keeps climbing (and then nodes fail: max is too low for this load)', () => {
    const { service, rec } = model({ routers: { ...routers, autoscale: { ...autoscale, max: 3 } }, fleet });
    // 80 req/s: even 3 nodes gain 26.7 - 16 = 10.7 MB/s each.
    const states = drive(service, rec, 300, 80);
    expect(Math.max(...states.map((s) => s.routers.length + s.routersProvisioning!))).toBe(3);
    expect(service.state().counters.nodeFailures).toBeGreaterThan(0);
  });

  it('keeps min when idle, and a node that fails readiness is restarting, not removed', () => {
    // At rest the nodes hold their 100 MB base: 10% of the limit, against a target of 10.5%, within tolerance:
    // no reading asks for a change, whatever the number of nodes ready.
    const { service, rec } = model({
      routers: { ...routers, count: 4, restartAfter: '30s', autoscale: { ...autoscale, min: 1, max: 8, targetMemory: 0.105 } },
      fleet,
    });
    drive(service, rec, 20, 1);
    expect(service.state().routers).toHaveLength(4);
    service.killRouters(2, false);
    const states = drive(service, rec, 60, 1);
    // Two readings with only 2 nodes ready: the pool keeps all 4, and both are back after restartAfter.
    expect(states.every((s) => s.routers.length === 4 && s.routersProvisioning === 0)).toBe(true);
    expect(states[25]!.routersReady).toBe(2);
    expect(states.at(-1)!.routersReady).toBe(4);

    // Scaling down while nodes are down takes ready ones: 0 and 1 back, 2 and 3 held down; at the base
    // (10% of the limit, target 40%) ceil(2 x 0.25) = 1 ready node is wanted, so node 1 leaves, not 2 or 3.
    const down = model({ routers: { ...routers, count: 4, autoscale: { ...autoscale, min: 1 } }, fleet });
    const killed = down.service.killRouters('all', true);
    down.service.startRouters(killed.slice(0, 2));
    drive(down.service, down.rec, 10, 1);
    expect(down.service.state().routers.map((r) => [r.id, r.ready])).toEqual([
      [0, true],
      [2, false],
      [3, false],
    ]);

    // Idle, with a target 4x the base, the pool goes down to min and stays there.
    const idle = model({ routers: { ...routers, count: 5, autoscale: { ...autoscale, min: 3 } }, fleet });
    const idleStates = drive(idle.service, idle.rec, 120, 1);
    expect(idleStates.at(-1)!.routers).toHaveLength(3);
    expect(idleStates.every((s) => s.routers.length >= 3)).toBe(true);
  });

  it('routers.count sets the pool size at once when it changes; other changes leave the autoscaled size alone', () => {
    const { service, rec } = model({ routers: { ...routers, count: 5, autoscale: { ...autoscale, min: 1 } }, fleet });
    drive(service, rec, 30, 1);
    expect(service.state().routers).toHaveLength(1);
    // A change of the collector (a `set` fault) is not a change of size.
    const undoGc = service.overlay((c) => ({ ...c, routers: { ...c.routers!, gcRate: 20_000_000 } }));
    expect(service.state().routers).toHaveLength(1);
    undoGc();
    const undoCount = service.overlay((c) => ({ ...c, routers: { ...c.routers!, count: 6 } }));
    expect(service.state()).toMatchObject({ routersReady: 6, config: { routers: { count: 6 } } });
    // Still autoscaled: idle, it goes back to min over the next readings (6 -> ceil(6 x 0.1 / 0.4) = 2 -> 1).
    drive(service, rec, 20, 1);
    expect(service.state().routers).toHaveLength(1);
    undoCount();
    expect(service.state().routers).toHaveLength(5);
    // Turning autoscale off keeps the size it had (5 -> 2 at the next reading), as the worker fleet does.
    drive(service, rec, 10, 1);
    service.overlay((c) => ({ ...c, routers: { ...c.routers!, autoscale: undefined } }));
    drive(service, rec, 60, 1);
    expect(service.state()).toMatchObject({ routersReady: 2, routersProvisioning: 0 });
    expect(service.state().routers).toHaveLength(2);
  });

  it('is off by default and reports no provisioning without routers', () => {
    expect(model({ routers }).service.state().routersProvisioning).toBe(0);
    expect(model({}).service.state().routersProvisioning).toBeNull();
  });
});
