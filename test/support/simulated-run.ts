// A run without sockets or timers: the bundled mock's own model (src/mock/model) driven in exact virtual
// time, its answers recorded by the real RunRecorder, as a RunResult. What it measures is the simulated
// service alone — no host, no event loop, no send lag — so a statistic over many such runs is the
// model's, the same on a busy machine as on a quiet one, and a thousand runs take a second or two.
// Retries are the client's simplest kind: a failed attempt goes again `retryAfterMs` later.
import { Random } from '../../src/core/random.js';
import { Timebase } from '../../src/core/timebase.js';
import { OpenRequest } from '../../src/dispatch/logical-request.js';
import { statusOutcome } from '../../src/dispatch/outcome.js';
import { mockConfigSchema } from '../../src/mock/config/index.js';
import { SimulatedService } from '../../src/mock/model/simulated-service.js';
import { RunRecorder } from '../../src/record/run-recorder.js';
import { RESULT_SCHEMA, type RunResult } from '../../src/result/run-result.js';
import { placePhases } from '../../src/schedule/phase.js';

export interface SimulatedPhase {
  name: string;
  durationMs: number;
  /** Poisson arrivals per second. */
  rate: number;
}

export interface SimulatedRunSpec {
  name?: string;
  /** A profile's `mock:` section. */
  mock: unknown;
  phases: SimulatedPhase[];
  seed: number;
  retries?: number;
  retryAfterMs?: number;
  /**
   * The host's stalls (a garbage collection, a noisy neighbour): at Poisson moments `meanGapMs` apart on
   * average, for `durationMs` each, nothing is answered; what would have finished then finishes at the
   * stall's end. A run-level source of variation, as on a real machine: how many stalls a run gets, and
   * where, differs from one run to the next, and moves its p99 more than its own windows show.
   */
  stalls?: { meanGapMs: number; durationMs: number };
}

export function simulatedRun(spec: SimulatedRunSpec): RunResult {
  const service = new SimulatedService(mockConfigSchema.parse(spec.mock), { seed: spec.seed });
  const placed = placePhases(spec.phases.map((p) => ({ kind: 'open' as const, name: p.name, durationMs: p.durationMs, from: p.rate, to: p.rate })));
  // Wall and incident time are one here: the model's virtual ms.
  const recorder = new RunRecorder({ phases: placed, timebase: new Timebase(0, 1) });
  const gaps = new Random(spec.seed, 'simulated-run.arrivals');
  const retries = spec.retries ?? 0;

  // Pending attempts, earliest first: Poisson first attempts, then retries as failures come back.
  const pending: { at: number; request: OpenRequest }[] = [];
  placed.forEach((phase, index) => {
    for (let t = phase.startMs + gaps.exponential(1000 / spec.phases[index]!.rate); t < phase.endMs; t += gaps.exponential(1000 / spec.phases[index]!.rate)) {
      const request = new OpenRequest(index, t, 0);
      recorder.offered(index, t);
      pending.push({ at: t, request });
    }
  });
  const finals: OpenRequest[] = [];
  const send = (request: OpenRequest): void => {
    const first = request.attempts === 0;
    request.attempts++;
    request.lastSentWall = service.now;
    if (first) recorder.sent(request, service.now - request.intendedWall);
    recorder.attempt(request, !first);
    service.arrive((reply) => {
      request.lastEndWall = service.now;
      request.outcome = statusOutcome(reply.status);
      if (reply.status >= 500 && request.attempts <= retries) insert(pending, { at: service.now + (spec.retryAfterMs ?? 0), request });
      else finals.push(request);
    });
  };
  pending.sort((a, b) => a.at - b.at);
  // Until every request has its final answer: the next attempt when it is due, else time moves on.
  const requests = pending.length;
  for (let steps = 0; finals.length < requests; steps++) {
    if (steps > 10_000_000) throw new Error('simulatedRun: the model stopped answering');
    const next = pending[0];
    const horizon = service.now + 100;
    if (next && next.at <= horizon) {
      pending.shift();
      service.advance(Math.max(next.at, service.now));
      send(next.request);
    } else service.advance(horizon);
  }
  if (spec.stalls) {
    const { meanGapMs, durationMs } = spec.stalls;
    const random = new Random(spec.seed, 'simulated-run.stalls');
    const stalls: number[] = [];
    const last = Math.max(...finals.map((r) => r.lastEndWall));
    for (let t = random.exponential(meanGapMs); t < last; t += durationMs + random.exponential(meanGapMs)) stalls.push(t);
    for (const request of finals) {
      const end = request.lastEndWall;
      const stall = stalls.find((s) => end >= s && end < s + durationMs);
      if (stall !== undefined) request.lastEndWall = stall + durationMs;
    }
  }
  finals.sort((a, b) => a.lastEndWall - b.lastEndWall);
  for (const request of finals) recorder.final(request as OpenRequest & { outcome: NonNullable<OpenRequest['outcome']> });

  const plannedMs = placed.at(-1)!.endMs;
  const measured = recorder.measurements(plannedMs);
  return {
    schema: RESULT_SCHEMA,
    tool: { name: 'incident-load', version: 'test' },
    profile: { name: spec.name ?? 'simulated', speed: 1, seed: spec.seed, target: 'model', arrivals: 'poisson' },
    startedAt: '2026-12-01T00:00:00.000Z',
    wallMs: plannedMs,
    plannedMs,
    interrupted: false,
    phases: measured.phases,
    total: measured.total,
    timeline: measured.timeline,
    faults: [],
    thresholds: [],
  };
}

/** Into a list kept in time order (ties after what is there: first come, first sent). */
function insert(list: { at: number; request: OpenRequest }[], item: { at: number; request: OpenRequest }): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.at > item.at) i--;
  list.splice(i, 0, item);
}
