import { describe, expect, it } from 'vitest';
import { control, inject, mean, openLoop } from '../support/clients.js';
import { launch } from '../support/mock-process.js';

describe('fault: add-latency', () => {
  it('adds latency ± jitter to every response, seen by the client, without holding a worker', async () => {
    const speed = 10;
    const mock = await launch({ fleet: { workers: 2, serviceTime: '100ms' } }, { speed });
    const fault = await inject(mock, { fault: 'add-latency', latency: '1s', jitter: '200ms' });
    // 10/s of 100 ms on 2 workers: utilisation 0.5, so held workers would show up as queueing.
    const outcomes = await openLoop({ url: mock.url, rate: 10 * speed, count: 150, seed: 1 });
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
    // server-timing says how long each answer was held: uniform on [800, 1200] ms.
    const delays = outcomes.map((o) => o.delayMs!);
    expect(delays.every((d) => d >= 800 && d <= 1200)).toBe(true);
    expect(Math.abs(mean(delays) - 1000)).toBeLessThan(40); // sd of the mean of 150: 9.4 ms
    const timings = outcomes.map((o) => o.queueMs! + o.serviceMs!);
    // Queue + service stay those of a half-busy fleet (about 100-150 ms; a burst or two on a busy machine
    // adds some). Had the delay held workers, 10/s x 1.1 s on 2 workers would queue without bound.
    expect(mean(timings)).toBeLessThan(400);
    // What the client waited, in wall time x speed, includes the delay: the mock writes no answer before
    // its virtual time, so this is a lower bound on any machine (upper bounds would measure the machine).
    const clientLatency = outcomes.map((o) => (o.doneAt - o.sentAt) * speed);
    expect(clientLatency.every((l, i) => l >= timings[i]! + delays[i]! - 1)).toBe(true);
    expect(mean(clientLatency)).toBeGreaterThan(1000);

    // Reverted: no delay any more, and the client waits less again.
    expect((await control(mock, 'DELETE', `/faults/${fault.id}`)).status).toBe(200);
    const after = await openLoop({ url: mock.url, rate: 10 * speed, count: 60, seed: 2 });
    expect(after.every((o) => o.status === 200 && o.delayMs === undefined)).toBe(true);
    expect(mean(after.map((o) => (o.doneAt - o.sentAt) * speed))).toBeLessThan(mean(clientLatency) - 500);
  });
});
