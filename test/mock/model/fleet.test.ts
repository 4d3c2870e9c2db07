import { describe, expect, it } from 'vitest';
import { model } from '../support/model.js';
import { mean } from '../support/drive.js';

describe('fleet: service times, shrinking, autoscaling', () => {
  it.each([
    ['20s', 20_000],
    ['exp:20s', 20_000],
    ['lognormal:20s:0.5', 20_000],
    ['uniform:10s:30s', 20_000],
  ])('samples %s with the configured mean', (serviceTime, expected) => {
    const { service, rec } = model({ fleet: { workers: 100_000, serviceTime } });
    for (let i = 0; i < 20_000; i++) rec.arriveAt(0);
    service.advance(1e9);
    // Coefficient of variation is at most 1 (exp), so sd of the mean of 20 000 <= 0.71 %; allow 3 %.
    expect(mean(rec.answers.map((a) => a.serviceMs!)) / expected).toBeCloseTo(1, 1);
    expect(Math.abs(mean(rec.answers.map((a) => a.serviceMs!)) / expected - 1)).toBeLessThan(0.03);
  });

  it('shrinking lets tasks in service finish first, then runs only the new number of workers', () => {
    const { service, rec } = model({ fleet: { workers: 8, serviceTime: '1s' } });
    for (let i = 0; i < 100; i++) rec.arriveAt(0);
    service.advance(500);
    const undo = service.overlay((c) => ({ ...c, fleet: { ...c.fleet, workers: 2 } }));
    expect(service.state()).toMatchObject({ workers: 2, busy: 8, retiring: 6 });
    service.advance(1000);
    expect(rec.count(200)).toBe(8); // all eight finished
    expect(service.state()).toMatchObject({ busy: 2, retiring: 0 });
    service.advance(5000);
    expect(rec.count(200)).toBe(16); // then two per second
    undo();
    expect(service.state()).toMatchObject({ workers: 8, busy: 8 });
  });

  it('autoscales towards the target utilisation, within max, after the provisioning delay', () => {
    const { service, rec } = model({
      fleet: { workers: 2, serviceTime: '1s', autoscale: { min: 1, max: 10, targetUtilization: 0.5, interval: '10s', provisionDelay: '30s' } },
    });
    // 5/s against 2 workers: saturated. At 10 s: utilisation 1 -> wants ceil(2 x 1 / 0.5) = 4, so 2 more,
    // which join at 40 s.
    rec.uniform(199, 5);
    expect(service.state()).toMatchObject({ t: 39_800, workers: 2, provisioning: 2 });
    rec.uniform(1, 5);
    // Still saturated at 40 s (the backlog) -> wants 8: 4 more, joining at 70 s; then 16, capped at max 10.
    expect(service.state()).toMatchObject({ t: 40_000, workers: 4, provisioning: 4 });
    rec.uniform(300, 5);
    expect(service.state()).toMatchObject({ workers: 10, provisioning: 0 });
    // Once the backlog is gone, 5/s of 1 s tasks keep 5 of 10 busy: utilisation 0.5, on target, no change.
    rec.uniform(100, 5);
    expect(service.state()).toMatchObject({ workers: 10, queued: 0 });
  });

  it('autoscaling scales down an idle fleet to min at once', () => {
    const { service } = model({ fleet: { workers: 6, autoscale: { min: 2, max: 10, interval: '10s' } } });
    service.advance(10_000);
    expect(service.state().workers).toBe(2);
  });
});
