import { describe, expect, it } from 'vitest';
import { model } from '../support/model.js';

describe('db: connections in front of the workers', () => {
  it('without pooling, only maxConnections workers can run, however many the fleet has', () => {
    const { service, rec } = model({ db: { maxConnections: 3 }, fleet: { workers: 10, serviceTime: '1s' } });
    for (let i = 0; i < 30; i++) rec.arriveAt(0);
    expect(service.state()).toMatchObject({ workers: 10, busy: 3, queued: 27, db: { capacity: 3, inUse: 3 } });
    service.advance(10_000);
    expect(rec.count(200)).toBe(30); // 3 per second
    expect(rec.byStatus(200).at(-1)!.at).toBe(10_000);
  });

  it('with pooling, tasks share the pool for holdTime each: throughput is capped at poolSize / holdTime', () => {
    // 10 workers x 100 ms could do 100/s; 2 connections held 50 ms each allow 40/s.
    const { service, rec } = model({ db: { pooling: true, poolSize: 2, holdTime: '50ms' }, fleet: { workers: 10, serviceTime: '100ms' } });
    rec.uniform(1000, 100); // 10 s at 100/s
    service.advance(1e7);
    const last = rec.byStatus(200).at(-1)!.at;
    expect(1000 / (last / 1000)).toBeCloseTo(40, 0);
    // The wait for a connection is part of the service (on the worker) and reported separately.
    const waited = rec.byStatus(200).filter((a) => a.dbWaitMs! > 0);
    expect(waited.length).toBeGreaterThan(500);
    expect(waited.every((a) => a.serviceMs! === a.dbWaitMs! + 100)).toBe(true);
  });

  it('the pool never holds more than maxConnections', () => {
    const { service, rec } = model({ db: { pooling: true, poolSize: 20, maxConnections: 5, holdTime: '1s' }, fleet: { workers: 50, serviceTime: '1s' } });
    for (let i = 0; i < 50; i++) rec.arriveAt(0);
    expect(service.state()).toMatchObject({ busy: 50, db: { capacity: 5, inUse: 5, waiting: 45 } });
  });

  it('with pooling and enough connections, the service time is what the fleet says', () => {
    const { service, rec } = model({ db: { pooling: true, poolSize: 10, holdTime: '10ms' }, fleet: { workers: 4, serviceTime: '100ms' } });
    rec.uniform(100, 10);
    service.advance(1e6);
    expect(rec.byStatus(200).every((a) => a.serviceMs === 100 && a.dbWaitMs === 0)).toBe(true);
  });
});
