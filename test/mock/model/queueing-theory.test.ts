// The model against queueing theory, driven directly (no HTTP) so the samples can be large. The same
// checks through real HTTP are in ../fidelity.test.ts.
import { describe, expect, it } from 'vitest';
import { mockConfigSchema } from '../../../src/mock/config/index.js';
import { SimulatedService } from '../../../src/mock/model/simulated-service.js';
import type { Reply } from '../../../src/mock/model/task.js';
import { Random } from '../../../src/core/random.js';
import { erlangB, erlangC, meanWaitInServiceTimes } from '../support/erlang.js';

/** Poisson arrivals at `rate`/s straight into the model; `onReply` sees every answer. */
function poisson(mock: unknown, rate: number, count: number, seed: number, onReply: (r: Reply) => void): SimulatedService {
  const service = new SimulatedService(mockConfigSchema.parse(mock), { seed });
  const gaps = new Random(seed, 'test.arrivals');
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += gaps.exponential(1000 / rate);
    service.advance(t);
    service.arrive(onReply);
  }
  service.advance(t + 3_600_000);
  return service;
}

describe('the default mock is an M/M/c queue', () => {
  it('M/M/4 at 75 % load: P(wait) is Erlang C, the mean wait C / (c - a) service times', () => {
    // c = 4, a = λS = 30/s x 100 ms = 3 Erlangs: Erlang C = 0.5094, Wq = 50.9 ms, W = 150.9 ms.
    // Over 8 seeds x 200 000 tasks the estimates had sd 0.0042 (P(wait)) and 1.33 ms (Wq): waits are
    // strongly correlated, so the sd is several times the i.i.d. one. With 1 000 000 tasks they shrink by
    // sqrt(5) to 0.0019 and 0.6 ms; the tolerances are 4 sd: 0.008 and 2.4 ms (2.6 ms for W).
    const n = 1_000_000;
    let answered = 0;
    let waited = 0;
    let wait = 0;
    let response = 0;
    poisson({ fleet: { workers: 4, serviceTime: 'exp:100ms' } }, 30, n, 11, (r) => {
      answered++;
      if (r.queueMs! > 0) waited++;
      wait += r.queueMs!;
      response += r.queueMs! + r.serviceMs!;
    });
    expect(answered).toBe(n);
    expect(Math.abs(waited / n - erlangC(4, 3))).toBeLessThan(0.008);
    expect(Math.abs(wait / n - 100 * meanWaitInServiceTimes(4, 3))).toBeLessThan(2.4);
    expect(Math.abs(response / n - (100 + 100 * meanWaitInServiceTimes(4, 3)))).toBeLessThan(2.6);
  });

  it.each(['exp:1s', 'uniform:0s:2s', '1s'])('with no queue (admission.queueLimit 0) the share rejected is Erlang B, for %s service too', (serviceTime) => {
    // c = 8, a = 8 Erlangs: B = 0.2356, insensitive to the service distribution beyond its mean. With
    // 400 000 arrivals the estimate's sd is 0.0012 (measured over 10 seeds, exp:1s); tolerance 4 sd.
    let rejected = 0;
    poisson({ admission: { queueLimit: 0 }, fleet: { workers: 8, serviceTime } }, 8, 400_000, 5, (r) => {
      if (r.status === 429) rejected++;
    });
    expect(Math.abs(rejected / 400_000 - erlangB(8, 8))).toBeLessThan(0.005);
  });

  it('in overload with a queue timeout, the share served approaches capacity / offered', () => {
    // 8 workers x exp:1s = 8/s, offered 16/s for about 2 000 s, timeout 20 s. After the first seconds every
    // worker is always busy, so about 8 x (2 000 + 20) of 32 000 are served: 0.505. Over 10 seeds the share
    // had mean 0.506 and sd 0.0068; the tolerance is 0.025 (3.7 sd).
    let ok = 0;
    let timedOut = 0;
    const waits: number[] = [];
    poisson({ queue: { timeout: '20s', monitorInterval: '1s' }, fleet: { workers: 8, serviceTime: 'exp:1s' } }, 16, 32_000, 3, (r) => {
      if (r.status === 200) {
        ok++;
        waits.push(r.queueMs!);
      }
      if (r.status === 504) timedOut++;
    });
    expect(ok + timedOut).toBe(32_000);
    expect(Math.abs(ok / 32_000 - (8 * (2000 + 20)) / 32_000)).toBeLessThan(0.025);
    // Those served waited nearly the whole timeout: the queue stays as long as the timeout allows.
    const late = waits.slice(-1000);
    expect(late.reduce((s, w) => s + w, 0) / late.length).toBeGreaterThan(15_000);
  });
});
