// Realistic RunResults for the report tests, made by the real recorders rather than hand-written JSON:
// arrivals from the real ArrivalSchedule, a small FIFO queue in front of a fleet of workers (an M/M/c
// service, shrunk by a fault mid-run) decides each request's fate, and RunRecorder records it exactly as
// the dispatcher would. Incident time is used as wall time (speed 1 for the recorder).
import { OpenRequest, type LogicalRequest } from '../../src/dispatch/logical-request.js';
import { Timebase } from '../../src/core/timebase.js';
import { outcomeOf } from '../support/recording.js';
import { RunRecorder } from '../../src/record/run-recorder.js';
import { RESULT_SCHEMA, type FaultOutcome, type RunResult } from '../../src/result/run-result.js';
import { Random } from '../../src/core/random.js';
import { ArrivalSchedule } from '../../src/schedule/arrival-schedule.js';
import { placePhases, type Phase } from '../../src/schedule/phase.js';
import { evaluateThresholds } from '../../src/threshold/evaluate.js';
import { parseThreshold } from '../../src/threshold/parse.js';

export interface Scenario {
  name: string;
  phases: Phase[];
  seed: number;
  /** Workers at the start, and faults that change them: at incident ms, to that many workers. */
  workers: number;
  shrink?: { at: number; workers: number };
  serviceMeanMs: number;
  /** The mock gives up on a task that waited this long in the queue: 504. */
  queueTimeoutMs: number;
  /** The client gives up on an attempt after this long: error "timeout". */
  clientTimeoutMs: number;
  /** Arrivals over this many outstanding requests are dropped. */
  maxInFlight: number;
  /** No router is ready from `at` for `forMs`: 503 at once, after one retry. */
  routersDown?: { at: number; forMs: number };
  /** Stop the run here (interrupted); requests not finished by then are unfinished. */
  interruptAt?: number;
  /** Sample the mock once per timeline window. */
  mock: boolean;
  faults: FaultOutcome[];
  thresholds: string[];
  speed: number;
}

export const RAMP_WITH_FAILING_SURGE: Scenario = {
  name: 'checkout-surge',
  phases: [
    { kind: 'open', name: 'warmup', durationMs: 120_000, from: 2, to: 2 },
    { kind: 'open', name: 'surge', durationMs: 300_000, from: 2, to: 12 },
    { kind: 'open', name: 'cooldown', durationMs: 180_000, from: 2, to: 2 },
  ],
  seed: 7,
  workers: 8,
  shrink: { at: 180_000, workers: 4 },
  serviceMeanMs: 1_000,
  queueTimeoutMs: 20_000,
  clientTimeoutMs: 30_000,
  maxInFlight: 100,
  routersDown: { at: 240_000, forMs: 20_000 },
  mock: true,
  faults: [
    { at: 180_000, fault: 'shrink-fleet', params: { workers: 4 } },
    { at: 240_000, fault: 'kill-routers', params: { for: '20s' } },
  ],
  thresholds: ['p99 < 30s', 'success >= 95%', 'surge: p99 < 10s', 'warmup: p99 < 10s', 'dropped == 0', 'rps >= 3'],
  speed: 60,
};

interface Fate {
  phase: number;
  intended: number;
  dropped: boolean;
  start: number;
  end: number;
  status: number;
  error: string | undefined;
  attempts: number;
}

export function simulateRun(s: Scenario): RunResult {
  const placed = placePhases(s.phases);
  const totalMs = placed.at(-1)!.endMs;
  const { at, phase } = ArrivalSchedule.collect(s.phases, { arrivals: 'poisson', seed: s.seed });
  const random = new Random(s.seed, 'fixture-service');
  const free = Array.from({ length: s.workers }, () => 0);
  const fates: Fate[] = [];

  for (let i = 0; i < at.length; i++) {
    const t = at[i]!;
    const outstanding = fates.filter((f) => !f.dropped && f.end > t);
    const base = { phase: phase[i]!, intended: t, dropped: false, status: 0, error: undefined, attempts: 1 };
    if (outstanding.length >= s.maxInFlight) {
      fates.push({ ...base, dropped: true, start: t, end: t });
      continue;
    }
    const workers = s.shrink && t >= s.shrink.at ? s.shrink.workers : s.workers;
    if (s.routersDown && t >= s.routersDown.at && t < s.routersDown.at + s.routersDown.forMs) {
      fates.push({ ...base, start: t, end: t + 40, status: 503, attempts: 2 });
      continue;
    }
    let w = 0;
    for (let k = 1; k < workers; k++) if (free[k]! < free[w]!) w = k;
    const start = Math.max(t, free[w]!);
    if (start - t > s.queueTimeoutMs) {
      fates.push({ ...base, start: t + s.queueTimeoutMs, end: t + s.queueTimeoutMs, status: 504 });
      continue;
    }
    const end = start + random.exponential(s.serviceMeanMs);
    free[w] = end;
    if (end - t > s.clientTimeoutMs) fates.push({ ...base, start, end: t + s.clientTimeoutMs, error: 'timeout' });
    else fates.push({ ...base, start, end, status: 200 });
  }

  const stopAt = s.interruptAt ?? Infinity;
  const recorder = new RunRecorder({ phases: placed, timebase: new Timebase(0, 1) });
  const requests = new Map<Fate, LogicalRequest>();
  for (const f of fates) {
    if (f.intended >= stopAt) continue;
    recorder.offered(f.phase, f.intended);
    if (f.dropped) {
      recorder.dropped(f.phase, f.intended, 0);
      continue;
    }
    const request = new OpenRequest(f.phase, f.intended, 0);
    requests.set(f, request);
    recorder.sent(request, 0);
    for (let a = 0; a < f.attempts; a++) recorder.attempt(request, a > 0);
  }
  // Completions reach the recorder in time order, as they do in a run; mock samples at each window's end.
  const done = [...requests.keys()].filter((f) => f.end <= stopAt).sort((a, b) => a.end - b.end);
  const windowMs = recorder.timeline.windowMs;
  let sampled = 0;
  const sampleUntil = (t: number): void => {
    while (s.mock && (sampled + 1) * windowMs <= Math.min(t, stopAt, totalMs)) {
      const at = (sampled + 1) * windowMs;
      const workers = s.shrink && at >= s.shrink.at ? s.shrink.workers : s.workers;
      const inQueue = fates.filter((f) => !f.dropped && f.intended <= at && f.start > at).length;
      const busy = fates.filter((f) => !f.dropped && f.status !== 503 && f.start <= at && f.end > at).length;
      recorder.timeline.closeUntil(at);
      recorder.timeline.attachMock(sampled, {
        queued: inQueue,
        busy: Math.min(busy, workers),
        workers,
        routersReady: s.routersDown && at >= s.routersDown.at && at < s.routersDown.at + s.routersDown.forMs ? 0 : 3,
      });
      sampled++;
    }
  };
  for (const f of done) {
    sampleUntil(f.end);
    const request = requests.get(f)!;
    request.outcome = outcomeOf(f.status, f.error);
    request.lastEndWall = f.end;
    request.lastSentWall = f.end - Math.min(f.end - f.intended, s.serviceMeanMs);
    recorder.final(request as LogicalRequest & { outcome: NonNullable<LogicalRequest['outcome']> });
  }
  sampleUntil(Infinity);
  for (const [f, request] of requests) if (f.end > stopAt) recorder.unfinished(request);

  const endMs = Math.min(stopAt, totalMs);
  const measured = recorder.measurements(endMs);
  const thresholds = s.thresholds.map(parseThreshold);
  return {
    schema: RESULT_SCHEMA,
    tool: { name: 'incident-load', version: '0.1.0' },
    profile: { name: s.name, speed: s.speed, seed: s.seed, target: 'mock (http://127.0.0.1:41234)', arrivals: 'poisson' },
    startedAt: '2025-01-15T09:30:00.000Z',
    wallMs: endMs / s.speed + 350,
    plannedMs: totalMs,
    interrupted: s.interruptAt !== undefined,
    ...measured,
    faults: s.faults.filter((f) => f.at < endMs),
    thresholds: evaluateThresholds(thresholds, measured),
  };
}
