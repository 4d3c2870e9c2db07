// Segments of a run are the run: for open and closed phases, uniform and Poisson arrivals, with a request
// mix, the n segments' arrivals (intended times and classes) are exactly the single-process schedule as a
// multiset, for n = 1..8 — and the segments share nothing out (each arrival, each user, in exactly one).
import { describe, expect, it } from 'vitest';
import { parseSegment, shareOf, within, type Segment } from '../../../src/core/segment.js';
import { Timebase } from '../../../src/core/timebase.js';
import type { RequestClass } from '../../../src/core/request.js';
import { ClassPicker } from '../../../src/dispatch/request-mix.js';
import type { RequestDispatcher } from '../../../src/dispatch/request-dispatcher.js';
import type { RunRecorder } from '../../../src/record/run-recorder.js';
import { ClosedDriver } from '../../../src/run/engine/closed-driver.js';
import { OpenDriver } from '../../../src/run/engine/open-driver.js';
import type { ArrivalProcess } from '../../../src/schedule/arrival-schedule.js';
import { placePhases, type Phase } from '../../../src/schedule/phase.js';

const MIX: RequestClass[] = [
  { name: 'a', share: 0.5 },
  { name: 'b', share: 0.3 },
  { name: 'c', share: 0.2 },
];
const OPEN: Phase[] = [
  { kind: 'open', name: 'warm', durationMs: 2_000, from: 50, to: 50 },
  { kind: 'open', name: 'ramp', durationMs: 3_000, from: 50, to: 400 },
];
const time = new Timebase(0, 1);

/** Every open-model arrival a segment sends: "phase:intended:class", in the order sent. */
function openArrivals(arrivals: ArrivalProcess, segment: Segment): string[] {
  const sent: string[] = [];
  const recorder = { offered: (phase: number, t: number, cls: number) => sent.push(`${phase}:${t}:${cls}`) } as unknown as RunRecorder;
  const dispatcher = { offerOpen: () => {} } as unknown as RequestDispatcher;
  const classes = new ClassPicker(MIX, 7, arrivals === 'uniform' ? 'even' : 'random');
  const driver = new OpenDriver(OPEN, { arrivals, seed: 7, classes, timebase: time, segment });
  while (driver.nextWall() !== Infinity) driver.offerDue(Infinity, recorder, dispatcher);
  return sent;
}

/** Each closed-model user's first `each` requests a segment sends: "user:class,class,...". */
function closedRequests(vus: number, each: number, segment: Segment): string[] {
  const phases = placePhases([{ kind: 'closed', name: 'soak', durationMs: 60_000, vus }]);
  const byUser = new Map<number, number[]>();
  const holder: { driver?: ClosedDriver } = {};
  const recorder = { offered: () => {} } as unknown as RunRecorder;
  const dispatcher = {
    offerClosed: (phase: number, nowWall: number, user: number, cls: number) => {
      const seen = byUser.get(user) ?? [];
      byUser.set(user, [...seen, cls]);
      // The user's request ends at once; it sends the next, up to `each`.
      if (seen.length + 1 < each) holder.driver!.ended({ model: 'closed', phase, user, lastEndWall: nowWall } as never);
    },
  } as unknown as RequestDispatcher;
  const driver = new ClosedDriver(phases, { mix: MIX, seed: 7, timebase: time, recorder, dispatcher, segment });
  holder.driver = driver;
  driver.startDue(0, 0);
  return [...byUser].map(([user, classes]) => `${user}:${classes.join(',')}`);
}

const sorted = (xs: string[]): string[] => [...xs].sort();

describe('segments', () => {
  it.each(['uniform', 'poisson'] as const)('open model, %s arrivals: n = 1..8 segments are the whole schedule, arrival for arrival', (arrivals) => {
    const whole = openArrivals(arrivals, { index: 0, count: 1 });
    expect(whole.length).toBeGreaterThan(1_000);
    for (let n = 1; n <= 8; n++) {
      const parts = Array.from({ length: n }, (_, i) => openArrivals(arrivals, { index: i, count: n }));
      expect(sorted(parts.flat()), `n = ${n}`).toEqual(sorted(whole));
      // Striped: each segment holds every n-th arrival of the whole, so its share is within one of 1/n.
      for (const part of parts) expect(Math.abs(part.length - whole.length / n), `n = ${n}`).toBeLessThanOrEqual(1);
    }
  });

  it('closed model: n = 1..8 segments run every user exactly once, each user sending what it sends alone', () => {
    const whole = closedRequests(20, 12, { index: 0, count: 1 });
    expect(whole).toHaveLength(20);
    for (let n = 1; n <= 8; n++) {
      const parts = Array.from({ length: n }, (_, i) => closedRequests(20, 12, { index: i, count: n }));
      expect(sorted(parts.flat()), `n = ${n}`).toEqual(sorted(whole));
    }
  });

  it('a segment of a segment (worker w of W within segment i of n) is segment i + n·w of n·W', () => {
    const whole = openArrivals('poisson', { index: 0, count: 1 });
    const outer = parseSegment('1/3');
    const workers = [0, 1].map((w) => openArrivals('poisson', within(outer, { index: w, count: 2 })));
    expect(sorted(workers.flat())).toEqual(sorted(whole.filter((_, k) => k % 3 === 1)));
  });

  it('reads "i/n" and refuses what is not one', () => {
    expect(parseSegment('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['4/4', '-1/4', '1/0', 'a/b', '1', '1/10001']) expect(() => parseSegment(bad), bad).toThrow(/expected a segment such as "0\/4"/);
  });
});

describe('shareOf', () => {
  it.each([1, 2, 3, 4, 7, 8])('splits a run-wide count among %d segments as users are: together the whole, each at least 1', (n) => {
    for (const total of [1, 5, 50, 51, 10_000]) {
      const shares = Array.from({ length: n }, (_, i) => shareOf({ index: i, count: n }, total));
      expect(shares.every((s) => s >= 1)).toBe(true);
      if (total >= n) expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    }
  });
});
