import { describe, expect, it } from 'vitest';
import { model } from '../support/model.js';

describe('admission: load shedding before the queue', () => {
  it('rejects with 429 and Retry-After when admitting would make the queue longer than queueLimit', () => {
    const { service, rec } = model({ admission: { queueLimit: 3, retryAfter: '20s' }, fleet: { workers: 2, serviceTime: '1s' } });
    for (let i = 0; i < 10; i++) rec.arriveAt(0);
    // 2 on workers, 3 queued, 5 shed.
    expect(service.state()).toMatchObject({ busy: 2, queued: 3 });
    expect(rec.count(429)).toBe(5);
    expect(rec.byStatus(429).every((a) => a.retryAfter === 20 && a.reason === 'shed-queue-limit')).toBe(true);
    service.advance(10_000);
    expect(rec.count(200)).toBe(5);
  });

  it('with queueLimit 0 is a loss system: rejects whenever no worker is free', () => {
    const { service, rec } = model({ admission: { queueLimit: 0 }, fleet: { workers: 2, serviceTime: '1s' } });
    rec.arriveAt(0);
    rec.arriveAt(100);
    rec.arriveAt(200); // both busy
    rec.arriveAt(1000); // the first is free again at exactly 1000
    expect(rec.answers.map((a) => `${a.index}:${a.status}`)).toEqual(['2:429', '0:200']);
    expect(service.state()).toMatchObject({ busy: 2, queued: 0 });
  });

  it('deadline-aware: rejects when the expected wait is longer than the queue timeout', () => {
    // 4 busy workers x 1 s: a task behind q others expects to wait (q + 1) / 4 s. With a 2.2 s timeout the
    // 8th queued task (2 s) is admitted and the 9th (2.25 s) is shed.
    const { service, rec } = model({ admission: { deadlineAware: true }, queue: { timeout: '2.2s' }, fleet: { workers: 4, serviceTime: '1s' } });
    for (let i = 0; i < 20; i++) rec.arriveAt(0);
    expect(service.state()).toMatchObject({ busy: 4, queued: 8 });
    expect(rec.byStatus(429).every((a) => a.reason === 'shed-deadline')).toBe(true);
    expect(rec.count(429)).toBe(8);
    // Nothing it admitted times out.
    service.advance(60_000);
    expect(rec.count(504)).toBe(0);
    expect(rec.count(200)).toBe(12);
  });
});
