// The priority section, driven directly in virtual time: high-priority tasks wait in their own queue ahead
// of normal ones, `reserved` servers are kept for them, admission judges each class by the work ahead of
// it, and the health monitor and cancellation cover both classes.
import { describe, expect, it } from 'vitest';
import { applyMockOverride } from '../../../src/mock/config/index.js';
import { Random } from '../../../src/core/random.js';
import type { SimulatedService } from '../../../src/mock/model/simulated-service.js';
import type { Recorder } from '../support/drive.js';
import { model } from '../support/model.js';

/** Recorder.arriveAt with a priority: one arrival at virtual time `t`. */
function arrive(rec: Recorder, t: number, high: boolean) {
  rec.service.advance(t);
  const index = rec.tasks.length;
  const arrivedAt = rec.service.now;
  const task = rec.service.arrive((reply) => rec.answers.push({ ...reply, index, arrivedAt, at: rec.service.now }), high);
  rec.tasks.push(task);
  return task;
}

/** Arrivals from a pattern: "N" normal, "H" high, one per ms from t = 0. */
function pattern(rec: Recorder, classes: string): void {
  [...classes].forEach((c, i) => arrive(rec, i, c === 'H'));
}

function served(rec: Recorder): number[] {
  return rec.byStatus(200).map((a) => a.index);
}

/** Normal tasks on a worker right now. */
function busyNormal(service: SimulatedService): number {
  const s = service.state();
  return s.busy - s.priority!.busyHigh;
}

describe('priority: traffic separation and prioritisation in the model', () => {
  it('serves waiting high-priority tasks before earlier-queued normal ones; each class keeps its order', () => {
    const { service, rec } = model({ priority: {}, fleet: { workers: 1, serviceTime: '1s' } });
    pattern(rec, 'NNNHH');
    expect(service.state().priority).toEqual({ queuedHigh: 2, queuedNormal: 2, busyHigh: 0 });
    expect(service.state().queued).toBe(4);
    service.advance(1000);
    expect(service.state().priority).toEqual({ queuedHigh: 1, queuedNormal: 2, busyHigh: 1 });
    service.advance(10_000);
    expect(served(rec)).toEqual([0, 3, 4, 1, 2]);
    expect(service.state().counters).toMatchObject({ arrived: 5, highArrived: 2, served: 5, highServed: 2 });

    // LIFO within each class: the newest high task first, then the newest normal one.
    const lifo = model({ priority: {}, queue: { order: 'lifo' }, fleet: { workers: 1, serviceTime: '1s' } });
    pattern(lifo.rec, 'NNNHHNH');
    lifo.service.advance(10_000);
    expect(served(lifo.rec)).toEqual([0, 6, 4, 3, 5, 2, 1]);
  });

  it('with reserved 2 of 4 workers, normal tasks never hold more than 2 while high ones use any free worker', () => {
    const { service, rec } = model({ priority: { reserved: 2 }, fleet: { workers: 4, serviceTime: '1s' } });
    for (let i = 0; i < 20; i++) arrive(rec, 0, false);
    expect(service.state()).toMatchObject({ busy: 2, queued: 18 });
    // A high task starts at once on a reserved worker although 18 normal ones wait.
    arrive(rec, 10, true);
    arrive(rec, 20, true);
    expect(service.state()).toMatchObject({ busy: 4, priority: { queuedHigh: 0, queuedNormal: 18, busyHigh: 2 } });
    service.advance(1020);
    expect(rec.answers.filter((a) => a.index >= 20).map((a) => [a.index, a.queueMs])).toEqual([
      [20, 0],
      [21, 0],
    ]);
    // Both high tasks done; the freed reserved workers stay free for high work.
    expect(service.state()).toMatchObject({ busy: 2, priority: { busyHigh: 0 } });

    // Mixed Poisson traffic at 1.5x capacity, checked every 10 ms of virtual time.
    const mixed = model({ priority: { reserved: 2 }, fleet: { workers: 4, serviceTime: 'exp:1s' } }, 7);
    const gaps = new Random(7, 'test.arrivals');
    const classes = new Random(7, 'test.classes');
    let next = gaps.exponential(1000 / 6);
    let sawHighOnAll = false;
    for (let t = 0; t <= 200_000; t += 10) {
      while (next <= t) {
        arrive(mixed.rec, next, classes.next() < 0.2);
        next += gaps.exponential(1000 / 6);
      }
      mixed.service.advance(t);
      expect(busyNormal(mixed.service)).toBeLessThanOrEqual(2);
      if (mixed.service.state().priority!.busyHigh >= 3) sawHighOnAll = true;
    }
    expect(sawHighOnAll).toBe(true); // high work did spill past the 2 reserved workers
    expect(mixed.service.state().counters.highServed).toBeGreaterThan(0);
  });

  it('with reserved >= workers, normal traffic never starts', () => {
    const { service, rec } = model({ priority: { reserved: 4 }, fleet: { workers: 4, serviceTime: '1s' } });
    arrive(rec, 0, false);
    arrive(rec, 0, true);
    service.advance(60_000);
    expect(served(rec)).toEqual([1]);
    expect(service.state()).toMatchObject({ busy: 0, priority: { queuedNormal: 1 } });
  });

  it('deadline-aware admission sheds normal tasks while it keeps admitting high-priority ones', () => {
    // 4 workers x 1 s, timeout 2.2 s, 1 reserved. A normal task waits behind every queued task on the 3
    // unreserved workers: admitted while (queued + 1) / 3 s <= 2.2 s, i.e. up to 6 queued (after the 3 that
    // start). A high task waits behind the high ones only, on all 4: up to 8 queued (after 1 that starts).
    const { service, rec } = model({
      priority: { reserved: 1 },
      admission: { deadlineAware: true },
      queue: { timeout: '2.2s' },
      fleet: { workers: 4, serviceTime: '1s' },
    });
    for (let i = 0; i < 20; i++) arrive(rec, 0, false);
    for (let i = 0; i < 10; i++) arrive(rec, 0, true);
    arrive(rec, 0, false); // the queue is long: normal traffic is still shed
    const shed = (high: boolean) => rec.byStatus(429).filter((a) => rec.tasks[a.index]!.high === high).length;
    expect(shed(false)).toBe(11 + 1);
    expect(shed(true)).toBe(1);
    expect(rec.byStatus(429).every((a) => a.reason === 'shed-deadline')).toBe(true);
    expect(service.state()).toMatchObject({ busy: 4, queued: 14, priority: { queuedHigh: 8, queuedNormal: 6, busyHigh: 1 } });
    service.advance(60_000);
    // Every admitted high task is served, within the 2.2 s it was promised.
    const high = rec.answers.filter((a) => rec.tasks[a.index]!.high && a.status !== 429);
    expect(high.map((a) => a.status)).toEqual(new Array(9).fill(200));
    expect(Math.max(...high.map((a) => a.queueMs!))).toBeLessThanOrEqual(2000);

    // queueLimit: a high task counts the high tasks ahead of it only.
    const limited = model({ priority: {}, admission: { queueLimit: 2 }, fleet: { workers: 1, serviceTime: '1s' } });
    pattern(limited.rec, 'NNNNHHH');
    expect(limited.rec.byStatus(429).map((a) => a.index)).toEqual([3, 6]);
  });

  it('the health monitor 504s expired tasks of both classes, oldest first', () => {
    const { service, rec } = model({ priority: {}, queue: { timeout: '2.5s', monitorInterval: '1s' }, fleet: { workers: 1, serviceTime: '10s' } });
    pattern(rec, 'NNHNH');
    service.advance(20_000);
    expect(rec.byStatus(504).map((a) => [a.index, a.at])).toEqual([
      [1, 3000],
      [2, 3000],
      [3, 3000],
      [4, 3000],
    ]);
    expect(service.state()).toMatchObject({ queued: 0, counters: { timedOut: 4 }, priority: { queuedHigh: 0, queuedNormal: 0 } });
  });

  it('cancelOnDisconnect cancels queued and running tasks of either class; maxLength caps both queues together', () => {
    const { service, rec } = model({ priority: {}, queue: { cancelOnDisconnect: true }, fleet: { workers: 1, serviceTime: '1s' } });
    pattern(rec, 'HNHN');
    service.abandon(rec.tasks[0]!); // high, in service: the worker is freed and the next high task starts
    expect(service.state()).toMatchObject({ busy: 1, priority: { busyHigh: 1, queuedHigh: 0, queuedNormal: 2 } });
    service.abandon(rec.tasks[1]!); // normal, queued
    service.advance(10_000);
    expect(served(rec)).toEqual([2, 3]);
    expect(service.state().counters).toMatchObject({ cancelled: 2, highServed: 1, served: 2 });

    const capped = model({ priority: {}, queue: { maxLength: 3 }, fleet: { workers: 1, serviceTime: '1h' } });
    pattern(capped.rec, 'NHNHH');
    expect(capped.rec.byStatus(503).map((a) => [a.index, a.reason])).toEqual([[4, 'queue-full']]);
  });

  it('turned on and off at run time (the set fault): waiting tasks keep their class and their arrival order', () => {
    const { service, rec } = model({ priority: {}, fleet: { workers: 1, serviceTime: '1s' } });
    pattern(rec, 'NNHNH');
    const off = service.overlay((c) => applyMockOverride(c, 'priority', 'off'));
    expect(service.state().priority).toBeNull();
    arrive(rec, 10, true); // ignored while the section is off: a normal task
    service.advance(1000); // FIFO over all: task 1 starts
    off();
    expect(service.state().priority).toEqual({ queuedHigh: 2, queuedNormal: 2, busyHigh: 0 });
    const reserve = service.overlay((c) => applyMockOverride(c, 'priority.reserved', '1'));
    expect(service.config.priority).toEqual({ header: 'x-priority', reserved: 1 });
    service.advance(10_000);
    // With the only worker reserved, the normal tasks wait; removing the layer lets them run.
    expect(served(rec)).toEqual([0, 1, 2, 4]);
    reserve();
    service.advance(20_000);
    expect(served(rec)).toEqual([0, 1, 2, 4, 3, 5]);
    expect(service.state().counters).toMatchObject({ highArrived: 2, highServed: 2 });
  });

  it('section off: the priority flag is ignored and answers are exactly those of plain arrivals', () => {
    const run = (mock: Record<string, unknown>, flag: boolean) => {
      const { service, rec } = model({ ...mock, queue: { timeout: '3s' }, fleet: { workers: 4, serviceTime: 'exp:1s' } }, 5);
      const gaps = new Random(5, 'test.arrivals');
      const classes = new Random(5, 'test.classes');
      for (let i = 0, t = 0; i < 2000; i++) arrive(rec, (t += gaps.exponential(200)), flag && classes.next() < 0.2);
      service.advance(1e9);
      return { answers: rec.answers, state: service.state() };
    };
    const plain = run({}, false);
    const flagged = run({}, true);
    expect(flagged.answers).toEqual(plain.answers);
    expect(flagged.state.priority).toBeNull();
    expect(flagged.state.counters).toMatchObject({ highArrived: 0, highServed: 0 });
    // On, without high traffic and without reserved servers, it is the same queue with the same draws.
    const onQuiet = run({ priority: {} }, false);
    expect(onQuiet.answers).toEqual(plain.answers);
  });
});
