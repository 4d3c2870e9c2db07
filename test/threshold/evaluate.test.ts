import { describe, expect, it } from 'vitest';
import { PhaseRecorder } from '../../src/record/phase-recorder.js';
import type { PhaseResult } from '../../src/result/run-result.js';
import { compare, evaluateThresholds } from '../../src/threshold/evaluate.js';
import { parseThresholds } from '../../src/threshold/parse.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from '../report/run-fixture.js';
import { outcomeOf } from '../support/recording.js';

/**
 * A 10 s phase with 105 arrivals: 90 answered 200 in 100 ms, 10 answered 503 in 2 s, 5 dropped by the
 * in-flight cap. So success 90/105, errors 15/105, achieved 100 / 10 s; the successes' p99 is 100 ms and
 * every completion's p99 2 s. 98 of the 100 sends went out 0.2 ms late, 2 of them 40 ms late.
 */
function knownPhase(name = 'steady'): PhaseResult {
  const phase = new PhaseRecorder({ name, model: 'open', startMs: 0, durationMs: 10_000 });
  for (let i = 0; i < 105; i++) phase.recordOffered();
  for (let i = 0; i < 5; i++) phase.recordDropped();
  for (let i = 0; i < 100; i++) {
    phase.recordSent(i < 2 ? 40 : 0.2);
    phase.recordAttempt(false);
  }
  for (let i = 0; i < 90; i++) phase.recordOutcome(outcomeOf(200), 100, 100);
  for (let i = 0; i < 10; i++) phase.recordOutcome(outcomeOf(503), 2000, 2000);
  return phase.result();
}

function evaluate(exprs: string[], phases: PhaseResult[], total = phases[0]!) {
  return evaluateThresholds(parseThresholds(exprs), { phases, total });
}

describe('evaluateThresholds against a phase recorded with the real recorder', () => {
  const steady = knownPhase();

  it('latency thresholds compare the percentiles of the successes, in ms: the fast-or-slow 503s are not in them', () => {
    // Before the successes-only reading, "p99 < 1s" failed here on the 503s' 2 s and "mean" was 290 ms.
    const results = evaluate(['p50 < 150ms', 'p50 < 90ms', 'p99 < 1s', 'p99 >= 2s', 'max < 101ms', 'mean < 101ms'], [steady]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, false, true, true]);
    expect(results[0]!.actual).toBeCloseTo(100, 0);
    expect(results[2]!.actual).toBeCloseTo(100, 0);
    expect(results[5]!.actual).toBeCloseTo(100, 0);
  });

  it('all.* thresholds compare the percentiles of every completed request, failures included', () => {
    const results = evaluate(['all.p50 < 150ms', 'all.p99 < 1s', 'all.p99 >= 2s', 'all.max <= 2.1s', 'all.mean < 300ms'], [steady]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true, true]);
    expect(results[1]!.actual).toBeCloseTo(2000, -1);
    // mean = (90 × 100 + 10 × 2000) / 100 = 290 ms
    expect(results[4]!.actual).toBeCloseTo(290, 0);
  });

  it('lag.* thresholds compare the send lag: how late the generator sent each first attempt', () => {
    const results = evaluate(['lag.p50 < 1ms', 'lag.p99 < 10ms', 'lag.max <= 40.1ms', 'lag.p90 < 1ms'], [steady]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true]);
    expect(results[0]!.actual).toBeCloseTo(0.2, 2);
    expect(results[1]!.actual).toBeCloseTo(40, 0);
  });

  it('success is ok / offered; errors is (failed + dropped) / offered', () => {
    const results = evaluate(['success >= 0.85', 'success >= 86%', 'errors < 15%', 'errors <= 0.15'], [steady]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true]);
    expect(results[0]!.actual).toBeCloseTo(90 / 105, 10);
    expect(results[2]!.actual).toBeCloseTo(15 / 105, 10);
  });

  it('rps is the achieved rate: completed requests per second of the phase', () => {
    const results = evaluate(['rps >= 10', 'rps > 10/s', 'rps == 10'], [steady]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[0]!.actual).toBe(10);
  });

  it('dropped is a count, or with % a share of offered', () => {
    const results = evaluate(['dropped == 0', 'dropped <= 5', 'dropped < 5%', 'dropped < 4%'], [steady]);
    expect(results.map((r) => r.ok)).toEqual([false, true, true, false]);
    expect(results[0]!.actual).toBe(5);
    expect(results[2]!.actual).toBeCloseTo(5 / 105, 10);
  });

  it('keeps the expression as written', () => {
    expect(evaluate(['  success >= 0.85 '], [steady])[0]!.expr).toBe('success >= 0.85');
  });
});

describe('class scope (a request mix)', () => {
  // Two classes in one phase: "high" all 200 in 100 ms, "low" all 503 in 2 s.
  const phase = new PhaseRecorder({ name: 'surge', model: 'open', startMs: 0, durationMs: 10_000, classNames: ['high', 'low'] });
  const record = (cls: number, status: number, ms: number): void => {
    phase.recordOffered(cls);
    phase.recordSent(0, cls);
    phase.recordAttempt(false, cls);
    phase.recordOutcome(outcomeOf(status), ms, ms, cls);
  };
  for (let i = 0; i < 20; i++) record(0, 200, 100);
  for (let i = 0; i < 80; i++) record(1, 503, 2000);
  const surge = phase.result();

  it('reads the class within the phase, or within the total', () => {
    const [high, low, all, totalHigh] = evaluate(
      ['surge@high: success == 100%', 'surge@low: all.p99 < 1s', 'surge: success >= 0.2', '@high: p99 < 1s'],
      [surge],
      surge,
    );
    expect(high).toMatchObject({ ok: true, actual: 1 });
    expect(low!.ok).toBe(false);
    expect(low!.actual).toBeGreaterThanOrEqual(2000);
    expect(all).toMatchObject({ ok: true, actual: 0.2 });
    expect(totalHigh!.ok).toBe(true);
  });

  it("the phase's p99 is its successes': the \"low\" class's 503s in 2 s do not count", () => {
    const [phaseP99, phaseAll] = evaluate(['surge: p99 < 1s', 'surge: all.p99 < 1s'], [surge], surge);
    expect(phaseP99).toMatchObject({ ok: true });
    expect(phaseP99!.actual).toBeCloseTo(100, 0);
    expect(phaseAll!.ok).toBe(false);
  });

  it('a class the result does not have fails with NaN (never a pass)', () => {
    const [missing] = evaluate(['@nope: success >= 0'], [surge], surge);
    expect(missing!.ok).toBe(false);
    expect(missing!.actual).toBeNaN();
  });
});

describe('phase scope', () => {
  const result = simulateRun(RAMP_WITH_FAILING_SURGE);

  it('an unscoped threshold reads the total, a scoped one its phase', () => {
    const [all, surge, warmup, cooldown] = evaluate(['p99 < 1h', 'surge: p99 < 1h', 'warmup: success >= 0', 'cooldown: rps > 0'], result.phases, result.total);
    // p99 is the successes' (okLatencyMs); all.p99 would read latencyMs.
    expect(all!.actual).toBe(result.total.okLatencyMs!.p99);
    expect(surge!.actual).toBe(result.phases[1]!.okLatencyMs!.p99);
    expect(warmup!.actual).toBe(result.phases[0]!.successRatio);
    expect(cooldown!.actual).toBe(result.phases[2]!.rps.achieved);
  });

  it('the failing surge fails its own thresholds while the warmup holds', () => {
    const results = evaluate(['warmup: success >= 99%', 'surge: success >= 99%', 'surge: dropped == 0', 'warmup: dropped == 0'], result.phases, result.total);
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true]);
  });
});

describe('no data is never a pass', () => {
  /** A phase where every arrival was dropped: offered, but nothing completed. */
  function allDropped(): PhaseResult {
    const phase = new PhaseRecorder({ name: 'blackout', model: 'open', startMs: 0, durationMs: 10_000 });
    for (let i = 0; i < 20; i++) {
      phase.recordOffered();
      phase.recordDropped();
    }
    return phase.result();
  }

  it('a latency threshold with no completed request fails with actual NaN, whatever the operator', () => {
    const results = evaluate(['p99 < 1h', 'p99 > 0ms', 'p50 != 1s', 'max >= 0ms', 'mean == 0ms', 'all.p99 < 1h', 'lag.p99 < 1h'], [allDropped()]);
    for (const r of results) {
      expect(r.ok).toBe(false);
      expect(r.actual).toBeNaN();
    }
  });

  it('a latency threshold with completions but no success fails too: a service that fails every request is not fast', () => {
    const phase = new PhaseRecorder({ name: 'down', model: 'open', startMs: 0, durationMs: 10_000 });
    for (let i = 0; i < 20; i++) {
      phase.recordOffered();
      phase.recordSent(0.1);
      phase.recordAttempt(false);
      phase.recordOutcome(outcomeOf(503), 2, 2);
    }
    const [p99, all] = evaluate(['p99 < 1h', 'all.p99 < 1h'], [phase.result()]);
    expect(p99).toEqual({ expr: 'p99 < 1h', ok: false, actual: NaN });
    expect(all).toMatchObject({ ok: true });
    expect(all!.actual).toBeCloseTo(2, 1);
  });

  it('a send-lag threshold on a closed-model phase (no schedule, so no lag) fails', () => {
    const soak = new PhaseRecorder({ name: 'soak', model: 'closed', startMs: 0, durationMs: 10_000, vus: 4 });
    soak.recordOffered();
    soak.recordSent(undefined);
    soak.recordAttempt(false);
    soak.recordOutcome(outcomeOf(200), 10, 10);
    const [lag, p99] = evaluate(['lag.p99 < 1h', 'p99 < 1h'], [soak.result()]);
    expect(lag).toEqual({ expr: 'lag.p99 < 1h', ok: false, actual: NaN });
    expect(p99!.ok).toBe(true);
  });

  it('ratio thresholds fail when nothing was offered', () => {
    const empty = new PhaseRecorder({ name: 'idle', model: 'open', startMs: 0, durationMs: 10_000 }).result();
    const results = evaluate(['success >= 0', 'errors <= 100%', 'dropped <= 100%', 'p99 < 1h'], [empty]);
    expect(results.map((r) => r.ok)).toEqual([false, false, false, false]);
    // a count and a rate are real zeros, not missing data
    expect(evaluate(['dropped == 0', 'rps == 0'], [empty]).map((r) => r.ok)).toEqual([true, true]);
  });

  it('a threshold on a phase the run never reached (interrupted) fails', () => {
    const result = simulateRun({ ...RAMP_WITH_FAILING_SURGE, interruptAt: 60_000 });
    expect(result.phases.map((p) => p.name)).toEqual(['warmup']);
    const [r] = evaluate(['cooldown: p99 < 1h'], result.phases, result.total);
    expect(r).toEqual({ expr: 'cooldown: p99 < 1h', ok: false, actual: NaN });
  });

  it('compare: NaN fails every operator, including !=', () => {
    for (const op of ['<', '<=', '>', '>=', '==', '!='] as const) expect(compare(NaN, op, 1)).toBe(false);
  });

  it('compare: each operator at and around its boundary', () => {
    const at = (op: '<' | '<=' | '>' | '>=' | '==' | '!=') => [compare(0.9, op, 1), compare(1, op, 1), compare(1.1, op, 1)];
    expect(at('<')).toEqual([true, false, false]);
    expect(at('<=')).toEqual([true, true, false]);
    expect(at('>')).toEqual([false, false, true]);
    expect(at('>=')).toEqual([false, true, true]);
    expect(at('==')).toEqual([false, true, false]);
    expect(at('!=')).toEqual([true, false, true]);
  });
});

describe('percentages compare exactly with the ratio they name', () => {
  it('success >= 99.9% holds at exactly 999 ok out of 1000', () => {
    const phase = new PhaseRecorder({ name: 'exact', model: 'open', startMs: 0, durationMs: 10_000 });
    for (let i = 0; i < 1000; i++) {
      phase.recordOffered();
      phase.recordSent(0);
      phase.recordAttempt(false);
      phase.recordOutcome(outcomeOf(i === 0 ? 500 : 200), 10, 10);
    }
    const results = evaluate(['success >= 99.9%', 'success >= 0.999', 'errors <= 0.1%', 'success > 99.9%'], [phase.result()]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
  });
});
