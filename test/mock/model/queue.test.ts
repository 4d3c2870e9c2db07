import { describe, expect, it } from 'vitest';
import { model } from '../support/model.js';

/** One worker, constant 1 s service; arrivals 0..n-1 at t = index ms; returns the order tasks started. */
function serviceOrder(order: string, n: number, extra: Record<string, unknown> = {}) {
  const { service, rec } = model({ queue: { order, ...extra }, fleet: { workers: 1, serviceTime: '1s' } });
  for (let i = 0; i < n; i++) rec.arriveAt(i);
  service.advance(n * 1000 + 10);
  return rec.answers.filter((a) => a.status === 200).map((a) => a.index);
}

describe('queue: order, timeout, health monitor, disconnects, cap', () => {
  it('fifo serves the oldest first', () => {
    expect(serviceOrder('fifo', 5)).toEqual([0, 1, 2, 3, 4]);
  });

  it('lifo serves the newest first', () => {
    expect(serviceOrder('lifo', 5)).toEqual([0, 4, 3, 2, 1]);
  });

  it('adaptive-lifo is FIFO while the oldest waited less than congestedAfter, LIFO once it waited longer', () => {
    // At t = 1000 the oldest waiting task (1) has waited 999 ms < 1.5 s: FIFO. At 2000 it is task 2 at 1998 ms: LIFO.
    expect(serviceOrder('adaptive-lifo', 6, { congestedAfter: '1.5s' })).toEqual([0, 1, 5, 4, 3, 2]);
    const { service, rec } = model({ queue: { order: 'adaptive-lifo' }, fleet: { workers: 1, serviceTime: '100ms' } });
    rec.uniform(100, 5); // a healthy queue (utilisation 0.5) never reorders
    service.advance(100_000);
    const served = rec.byStatus(200).map((a) => a.index);
    expect(served).toEqual([...served].sort((a, b) => a - b));
  });

  it('the health monitor answers 504 at its sweeps to tasks that waited at least the timeout', () => {
    const { service, rec } = model({ queue: { timeout: '2.5s', monitorInterval: '1s' }, fleet: { workers: 1, serviceTime: '10s' } });
    for (let i = 0; i < 4; i++) rec.arriveAt(0);
    service.advance(20_000);
    // Sweeps at 1, 2, 3 s: at 3 s the three queued tasks have waited 3 s >= 2.5 s.
    expect(rec.byStatus(504).map((a) => [a.index, a.at, a.queueMs])).toEqual([
      [1, 3000, 3000],
      [2, 3000, 3000],
      [3, 3000, 3000],
    ]);
    expect(service.state().counters.timedOut).toBe(3);
  });

  it('with the monitor off, expired tasks stay and are served anyway (counted as expiredServed)', () => {
    const { service, rec } = model({ queue: { timeout: '2.5s', monitor: false }, fleet: { workers: 1, serviceTime: '10s' } });
    for (let i = 0; i < 4; i++) rec.arriveAt(0);
    service.advance(100_000);
    expect(rec.count(504)).toBe(0);
    expect(rec.byStatus(200).map((a) => a.queueMs)).toEqual([0, 10_000, 20_000, 30_000]);
    expect(service.state().counters.expiredServed).toBe(3);
  });

  it('a client that leaves does not cancel its task, unless cancelOnDisconnect', () => {
    for (const cancelOnDisconnect of [false, true]) {
      const { service, rec } = model({ queue: { cancelOnDisconnect }, fleet: { workers: 1, serviceTime: '1s' } });
      const tasks = [0, 1, 2].map((i) => rec.arriveAt(i));
      service.advance(10);
      service.abandon(tasks[0]!); // in service
      service.abandon(tasks[1]!); // queued
      service.advance(10_000);
      const c = service.state().counters;
      expect(c.abandoned).toBe(2);
      expect(rec.answers.map((a) => a.index)).toEqual([2]);
      if (cancelOnDisconnect) {
        // The worker is freed at once: task 2 starts at 10 ms and is done at 1010.
        expect(c).toMatchObject({ cancelled: 2, served: 1, wastedServed: 0 });
        expect(rec.answers[0]!.at).toBe(1010);
      } else {
        expect(c).toMatchObject({ cancelled: 0, served: 3, wastedServed: 2 });
        expect(rec.answers[0]!.at).toBe(3000);
      }
    }
  });

  it('caps the queue at maxLength: beyond it 503 and the queue stays bounded', () => {
    const { service, rec } = model({ queue: { maxLength: 100 }, fleet: { workers: 1, serviceTime: '1h' } });
    for (let i = 0; i < 10_000; i++) rec.arriveAt(i);
    expect(service.state().queued).toBe(100);
    expect(rec.count(503)).toBe(10_000 - 101);
    expect(rec.byStatus(503)[0]).toMatchObject({ reason: 'queue-full', retryAfter: 1 });
  });

  it('a worker freed at T starts the next task at T exactly: waits add up without drift', () => {
    const { service, rec } = model({ fleet: { workers: 1, serviceTime: '3ms' } });
    for (let i = 0; i < 1000; i++) rec.arriveAt(0);
    service.advance(10_000);
    expect(rec.byStatus(200).at(-1)).toMatchObject({ queueMs: 2997, at: 3000 });
  });
});
