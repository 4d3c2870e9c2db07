import { describe, expect, it } from 'vitest';
import { control, inject, mean, openLoop } from '../support/clients.js';
import { launch } from '../support/mock-process.js';

describe('fault: add-latency', () => {
  it('adds latency ± jitter to every response, seen by the client, without holding a worker', async () => {
    const speed = 10;
    const mock = await launch({ fleet: { workers: 2, serviceTime: '100ms' } }, { speed });
    const fault = await inject(mock.controlUrl, { fault: 'add-latency', latency: '1s', jitter: '200ms' });
    // 10/s of 100 ms on 2 workers: utilisation 0.5, so held workers would show up as queueing.
    const outcomes = await openLoop({ url: mock.url, rate: 10 * speed, count: 200, seed: 1 });
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
    // server-timing says how long each answer was held: uniform on [800, 1200] ms.
    const delays = outcomes.map((o) => o.delayMs!);
    expect(delays.every((d) => d >= 800 && d <= 1200)).toBe(true);
    expect(Math.abs(mean(delays) - 1000)).toBeLessThan(40); // sd of the mean of 200: 8 ms
    const timings = outcomes.map((o) => o.queueMs! + o.serviceMs!);
    expect(mean(timings)).toBeLessThan(150); // queue + service as before: the delay did not hold workers
    // What the client measured (wall x speed) now includes 1 s ± 200 ms. Uniform jitter: sd 115 ms, sd of the
    // mean of 200 = 8 ms; the client's own wall-clock lag adds a few ms x speed. Tolerance 100 ms.
    const clientLatency = mean(outcomes.map((o) => (o.doneAt - o.sentAt) * speed));
    expect(Math.abs(clientLatency - (1000 + mean(timings)))).toBeLessThan(100);

    // Reverted: back to queue + service only.
    expect((await control(mock.controlUrl, 'DELETE', `/faults/${fault.id}`)).status).toBe(200);
    const after = await openLoop({ url: mock.url, rate: 10 * speed, count: 100, seed: 2 });
    expect(mean(after.map((o) => (o.doneAt - o.sentAt) * speed))).toBeLessThan(400);
  });
});
