import { describe, expect, it } from 'vitest';
import { model } from '../support/model.js';

describe('routers: memory, readiness and restarts', () => {
  it('routes round-robin over the nodes', () => {
    const { service, rec } = model({ routers: { count: 3, gcRate: 0 }, fleet: { workers: 100, serviceTime: '1s' } });
    for (let i = 0; i < 9; i++) rec.arriveAt(i);
    expect(service.state().routers.map((r) => r.inFlight)).toEqual([3, 3, 3]);
  });

  it('leaves exponentially distributed garbage per request, with mean bytesPerRequest', () => {
    const { service, rec } = model({
      routers: { count: 1, bytesPerRequest: '1KB', gcRate: 0, baseMemory: 0, memoryLimit: '1GB' },
      fleet: { workers: 1000, serviceTime: '1ms' },
    });
    rec.uniform(40_000, 1000);
    // Sum of 40 000 exponentials with mean 1 KB: sd = 1 KB x sqrt(40 000) = 200 KB = 0.5 % of 40 MB; allow 4 sd.
    expect(Math.abs(service.state().routers[0]!.memory - 40_000_000)).toBeLessThan(800_000);
  });

  it('collects garbage at gcRate down to baseMemory', () => {
    const { service, rec } = model({ routers: { count: 1, bytesPerRequest: '10MB', gcRate: '1MB/s', baseMemory: '100MB' }, fleet: { serviceTime: '1ms' } });
    for (let i = 0; i < 5; i++) rec.arriveAt(0);
    const peak = service.state().routers[0]!.memory;
    expect(peak).toBeGreaterThan(104_000_000);
    service.advance(4000);
    expect(service.state().routers[0]!.memory).toBe(peak - 4_000_000);
    service.advance(3_600_000);
    expect(service.state().routers[0]!.memory).toBe(100_000_000);
  });

  it('fails a node that passes its memory limit: its in-flight requests get 502, it leaves rotation, it comes back with base memory', () => {
    const { service, rec } = model({
      routers: { count: 2, bytesPerRequest: '10MB', gcRate: 0, baseMemory: '100MB', memoryLimit: '200MB', restartAfter: '30s', restartJitter: '10s' },
      fleet: { workers: 100, serviceTime: '10m' },
    });
    let before = service.state();
    let t = 0;
    while (rec.count(502) === 0) {
      before = service.state();
      rec.arriveAt((t += 10));
    }
    const failedAt = t;
    const failures = rec.byStatus(502);
    const failed = before.routers.find((r) => !service.state().routers[r.id]!.ready)!;
    // Everything that node had in flight, plus the request that tipped it over, got 502 at that moment.
    expect(failures).toHaveLength(failed.inFlight + 1);
    expect(failures.every((a) => a.at === failedAt && a.index % 2 === failed.id)).toBe(true);
    expect(service.state().routersReady).toBe(1);
    expect(service.state().routers[failed.id]).toMatchObject({ ready: false, inFlight: 0, failures: 1 });
    // Meanwhile every arrival goes to the other node.
    const other = 1 - failed.id;
    const otherBefore = service.state().routers[other]!.inFlight;
    rec.arriveAt(failedAt + 1);
    rec.arriveAt(failedAt + 2);
    expect(service.state().routers[other]!.inFlight).toBe(otherBefore + 2);
    // Back within [30 s, 40 s) after failing, with a fresh heap.
    service.advance(failedAt + 30_000 - 1);
    expect(service.state().routers[failed.id]!.ready).toBe(false);
    service.advance(failedAt + 40_000);
    expect(service.state().routers[failed.id]).toMatchObject({ ready: true, memory: 100_000_000 });
  });

  it('keeps working on the tasks of a failed node for nobody (unless cancelOnDisconnect)', () => {
    const setup = {
      routers: { count: 1, bytesPerRequest: '10MB', gcRate: 0, baseMemory: 0, memoryLimit: '100MB' },
      fleet: { workers: 1000, serviceTime: '1m' },
    };
    for (const cancelOnDisconnect of [false, true]) {
      const { service, rec } = model({ ...setup, queue: { cancelOnDisconnect } });
      while (rec.count(502) === 0) rec.arriveAt(service.now + 1);
      const inside = rec.count(502) - 1; // the request that tipped the node over never got past it
      expect(inside).toBeGreaterThan(3);
      expect(service.state().busy).toBe(cancelOnDisconnect ? 0 : inside);
      service.advance(service.now + 120_000);
      expect(service.state().counters).toMatchObject({ wastedServed: cancelOnDisconnect ? 0 : inside, cancelled: cancelOnDisconnect ? inside : 0 });
    }
  });

  it('answers 503 when no node is ready', () => {
    const { rec } = model({ routers: { count: 1, bytesPerRequest: '10MB', gcRate: 0, baseMemory: 0, memoryLimit: '1KB' } });
    rec.arriveAt(0);
    rec.arriveAt(1);
    expect(rec.answers.map((a) => a.status)).toEqual([502, 503]);
  });

  it('cascades: when the per-node rate outruns the collector, one failure raises the rate on the rest until none is left', () => {
    // 4 nodes, 100 req/s: 25/s per node x 1 MB = 25 MB/s against a 20 MB/s collector: each node gains 5 MB/s
    // from 500 MB towards 1 GB. With fewer nodes the per-node rate rises and they fill faster.
    const { service, rec } = model(
      {
        routers: { count: 4, bytesPerRequest: '1MB', gcRate: '20MB/s', baseMemory: '500MB', memoryLimit: '1GB', restartAfter: '10m', restartJitter: 0 },
        fleet: { workers: 1000, serviceTime: '50ms' },
      },
      3,
    );
    const readyOverTime: number[] = [];
    for (let tenth = 1; tenth <= 1500; tenth++) {
      rec.uniform(10, 100);
      readyOverTime.push(service.state().routersReady!);
    }
    // Nodes fail one after another (never all at once), and the gaps shrink as each loss loads the rest.
    // In tenths of a second: when did the first, second, third and fourth node fail?
    const failedAt = [3, 2, 1, 0].map((ready) => readyOverTime.findIndex((r) => r <= ready));
    expect(failedAt.every((t) => t > 0)).toBe(true);
    for (let i = 1; i < 4; i++) expect(failedAt[i]!).toBeGreaterThan(failedAt[i - 1]!);
    // Each loss loads the rest more, so each next failure comes sooner.
    expect(failedAt[3]! - failedAt[2]!).toBeLessThan(failedAt[1]! - failedAt[0]!);
    expect(readyOverTime.at(-1)).toBe(0);
    expect(rec.count(503)).toBeGreaterThan(0);
    expect(rec.count(502)).toBeGreaterThan(0);
  });
});
