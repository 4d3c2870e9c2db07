// The comparison model: phases matched by name, each run's figures, the differences against the first
// run with their direction and verdict, and the top failure — from results made by the real recorders.
import { describe, expect, it } from 'vitest';
import { PhaseRecorder } from '../../src/record/phase-recorder.js';
import type { PhaseResult } from '../../src/result/run-result.js';
import { buildComparison, phaseFigures, runLabel, topFailure, type CompareInput } from '../../src/report/compare/comparison.js';
import { differences, formatDifference, formatRatio } from '../../src/report/compare/difference.js';
import { COMPARE_SCHEMA, compareDocument } from '../../src/report/compare/document.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun, type Scenario } from './run-fixture.js';
import { outcomeOf } from '../support/recording.js';

// The fixture's run (a fleet shrunk mid-surge, routers down for 20 s) and its remediation: no shrink, no
// router outage, the same traffic and seed.
const FIXED: Scenario = { ...RAMP_WITH_FAILING_SURGE, name: 'checkout-surge-fixed', shrink: undefined, routersDown: undefined, faults: [] };
const failing = simulateRun(RAMP_WITH_FAILING_SURGE);
const fixed = simulateRun(FIXED);
const ran = (result = failing): CompareInput => ({ name: result.profile.name, source: { kind: 'ran' }, result });
const saved = (result = fixed, path = 'results/fixed.json'): CompareInput => ({ name: result.profile.name, source: { kind: 'file', path }, result });

describe('buildComparison: rows', () => {
  it('matches phases by name in the order of the first run, then the total', () => {
    const c = buildComparison([ran(), saved()]);
    expect(c.baseline).toBe('A');
    expect(c.runs.map((r) => r.label)).toEqual(['A', 'B']);
    expect(c.rows.map((r) => r.phase)).toEqual(['warmup', 'surge', 'cooldown', 'total']);
    expect(c.rows.at(-1)!.total).toBe(true);
    for (const row of c.rows) expect(row.cells.map((cell) => cell.run)).toEqual(['A', 'B']);
    expect(c.rows[1]!.cells[1]!.figures).toEqual(phaseFigures(fixed.phases[1]!));
  });

  it('with a request mix, each phase and the total are followed by a row per class', () => {
    // The fixed run's phases as its "priority" class and the failing run's as "standard", so each class's
    // figures are recognisable; the failing run itself has no mix.
    const mixed = {
      ...fixed,
      phases: fixed.phases.map((p, i) => ({
        ...p,
        mix: [
          { ...p, name: 'priority' },
          { ...failing.phases[i]!, name: 'standard' },
        ],
      })),
      total: {
        ...fixed.total,
        mix: [
          { ...fixed.total, name: 'priority' },
          { ...failing.total, name: 'standard' },
        ],
      },
    };
    const c = buildComparison([ran(), saved(mixed)]);
    expect(c.rows.map((r) => (r.class ? `${r.phase} · ${r.class}` : r.phase))).toEqual([
      'warmup',
      'warmup · priority',
      'warmup · standard',
      'surge',
      'surge · priority',
      'surge · standard',
      'cooldown',
      'cooldown · priority',
      'cooldown · standard',
      'total',
      'total · priority',
      'total · standard',
    ]);
    expect(c.rows[4]).toMatchObject({ phase: 'surge', class: 'priority' });
    expect(c.rows[3]!.class).toBeUndefined();
    expect(c.rows.map((r) => r.total)).toEqual([...Array(9).fill(false), true, true, true]);
    const surgeStandard = c.rows[5]!;
    expect(surgeStandard.cells[1]!.figures).toEqual(phaseFigures(failing.phases[1]!));
    // The run without a mix has no figures in class rows, and so no difference there.
    expect(surgeStandard.cells[0]!.figures).toBeNull();
    expect(surgeStandard.cells[1]!.differences).toEqual({});
  });

  it('a phase missing in a run has no figures there (and no difference); a phase only a later run has comes after', () => {
    const reordered = simulateRun({
      ...FIXED,
      phases: [
        { kind: 'open', name: 'surge', durationMs: 300_000, from: 2, to: 12 },
        { kind: 'open', name: 'warmup', durationMs: 120_000, from: 2, to: 2 },
        { kind: 'open', name: 'spike', durationMs: 60_000, from: 20, to: 20 },
      ],
    });
    const c = buildComparison([ran(), saved(reordered)]);
    expect(c.rows.map((r) => r.phase)).toEqual(['warmup', 'surge', 'cooldown', 'spike', 'total']);
    const cooldown = c.rows[2]!;
    expect(cooldown.cells[0]!.figures).not.toBeNull();
    expect(cooldown.cells[1]!.figures).toBeNull();
    expect(cooldown.cells[1]!.differences).toEqual({});
    const spike = c.rows[3]!;
    expect(spike.cells[0]!.figures).toBeNull();
    expect(spike.cells[1]!.figures!.offered).toBe(reordered.phases[2]!.offered);
    expect(spike.cells[1]!.differences).toEqual({});
    // Matched by name, not by position: B's "warmup" is its second phase.
    expect(c.rows[0]!.cells[1]!.figures).toEqual(phaseFigures(reordered.phases[1]!));
  });

  it('a run that never started is listed, without figures, and keeps its label', () => {
    const c = buildComparison([ran(), { name: 'not-yet', source: { kind: 'ran' }, result: undefined }, saved()]);
    expect(c.runs.map((r) => [r.label, r.measured])).toEqual([
      ['A', true],
      ['B', false],
      ['C', true],
    ]);
    expect(c.runs[1]!.name).toBe('not-yet');
    for (const row of c.rows) expect(row.cells[1]!.figures).toBeNull();
    expect(c.rows.at(-1)!.cells[2]!.differences.success).toBeDefined();
  });

  it('labels runs A..Z, then AA, AB, ...', () => {
    expect([0, 1, 25, 26, 27, 51, 52].map(runLabel)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA']);
  });
});

describe('buildComparison: figures', () => {
  it('success, goodput, p50, p99 (of successes; allP50 and allP99 of every completion) and attempts per request come from the phase result', () => {
    const surge = failing.phases[1]!;
    const f = phaseFigures(surge);
    expect(f.success).toBe(surge.successRatio);
    expect(f.goodput).toBe(surge.rps.goodput);
    // p50 and p99 were every completion's until they became the successes'; those are allP50 and allP99 now.
    expect(f.p50).toBe(surge.okLatencyMs!.p50);
    expect(f.p99).toBe(surge.okLatencyMs!.p99);
    expect(f.allP50).toBe(surge.latencyMs!.p50);
    expect(f.allP99).toBe(surge.latencyMs!.p99);
    // The routers were down in the surge: those requests were tried twice.
    expect(surge.attempts).toBeGreaterThan(surge.sent);
    expect(f.amplification).toBeCloseTo(surge.attempts / surge.sent, 10);
  });

  it('nothing completed or nothing sent: null, not zero', () => {
    const blackout = simulateRun({ ...RAMP_WITH_FAILING_SURGE, maxInFlight: 0 });
    const f = phaseFigures(blackout.total);
    expect(f.success).toBe(0);
    expect(f.p50).toBeNull();
    expect(f.p99).toBeNull();
    expect(f.allP50).toBeNull();
    expect(f.allP99).toBeNull();
    expect(f.amplification).toBeNull();
    expect(f.topFailure).toEqual({ outcome: 'dropped', count: blackout.total.offered, share: 1 });
  });

  it('top failure: the most frequent non-2xx status or error kind, with its share of offered', () => {
    const surge = failing.phases[1]!;
    const failures = [...Object.entries(surge.statuses).filter(([s]) => s !== '200'), ...Object.entries(surge.errors)];
    const [outcome, count] = failures.sort((a, b) => b[1] - a[1])[0]!;
    expect(topFailure(surge)).toEqual({ outcome, count, share: count / surge.offered });
    expect(topFailure(failing.phases[0]!)).toBeNull();
  });

  it('top failure: 2xx statuses never count; a tie goes to the lowest status, then error kinds by name', () => {
    const phase = (statuses: Record<string, number>, errors: Record<string, number>): PhaseResult => ({ ...failing.phases[0]!, offered: 20, statuses, errors });
    expect(topFailure(phase({ '200': 9, '204': 8, '504': 1 }, {}))).toEqual({ outcome: '504', count: 1, share: 0.05 });
    expect(topFailure(phase({ '200': 5, '504': 3, '503': 3 }, { timeout: 3 }))!.outcome).toBe('503');
    expect(topFailure(phase({ '200': 5 }, { timeout: 4, ECONNRESET: 4, dropped: 1 }))!.outcome).toBe('ECONNRESET');
    expect(topFailure(phase({ '200': 5, '429': 0 }, {}))).toBeNull();
  });
});

describe('differences against the first run', () => {
  it('the fixed run is better: success up in points, p99 down, goodput up, fewer attempts per request', () => {
    const total = buildComparison([ran(), saved()]).rows.at(-1)!;
    expect(total.cells[0]!.differences).toEqual({});
    const d = total.cells[1]!.differences;
    expect(d.success).toMatchObject({ kind: 'points', direction: 'up', verdict: 'better' });
    expect(d.success!.value).toBeCloseTo((fixed.total.successRatio - failing.total.successRatio) * 100, 10);
    expect(d.p99).toMatchObject({ kind: 'ratio', direction: 'down', verdict: 'better' });
    expect(d.p99!.value).toBeCloseTo(fixed.total.okLatencyMs!.p99 / failing.total.okLatencyMs!.p99, 10);
    expect(d.allP99).toMatchObject({ kind: 'ratio', direction: 'down', verdict: 'better' });
    expect(d.allP99!.value).toBeCloseTo(fixed.total.latencyMs!.p99 / failing.total.latencyMs!.p99, 10);
    expect(d.goodput).toMatchObject({ direction: 'up', verdict: 'better' });
    expect(d.amplification).toMatchObject({ direction: 'down', verdict: 'better' });
  });

  it('a run whose failures come back fast does not look faster: p50 and p99 are of successes', () => {
    // A: 30 answers in 1 s and 70 immediate 503s (5 ms); B, after the fix: 100 answers in 1 s.
    const phase = (ok: number, fastFailures: number): PhaseResult => {
      const p = new PhaseRecorder({ name: 'cascade', model: 'open', startMs: 0, durationMs: 10_000 });
      for (let i = 0; i < ok + fastFailures; i++) {
        p.recordOffered();
        p.recordSent(0);
        p.recordAttempt(false);
        p.recordOutcome(outcomeOf(i < ok ? 200 : 503), i < ok ? 1000 : 5, i < ok ? 1000 : 5);
      }
      return p.result();
    };
    const d = differences(phaseFigures(phase(30, 70)), phaseFigures(phase(100, 0)));
    expect(d.success).toMatchObject({ direction: 'up', verdict: 'better' });
    expect(d.p50).toMatchObject({ direction: 'same', verdict: 'same' });
    expect(d.p99).toMatchObject({ direction: 'same', verdict: 'same' });
    // Every completion's p50 went from the 503s' 5 ms to 1 s: "×200 worse", which is what the table used to say.
    expect(d.allP50).toMatchObject({ direction: 'up', verdict: 'worse' });
    expect(d.allP50!.value).toBeCloseTo(200, -1);
  });

  it('the other way round every one of them is worse', () => {
    const d = buildComparison([saved(), ran()]).rows.at(-1)!.cells[1]!.differences;
    expect(d.success).toMatchObject({ direction: 'down', verdict: 'worse' });
    expect(d.p99).toMatchObject({ direction: 'up', verdict: 'worse' });
    expect(d.goodput).toMatchObject({ direction: 'down', verdict: 'worse' });
    expect(d.amplification).toMatchObject({ direction: 'up', verdict: 'worse' });
  });

  it('a run against itself: every difference is "same"', () => {
    const c = buildComparison([ran(), ran()]);
    for (const row of c.rows) for (const d of Object.values(row.cells[1]!.differences)) expect(d).toMatchObject({ direction: 'same', verdict: 'same' });
  });

  it('within noise (under half a point, within 5%) is "same"; from zero is up with no ratio', () => {
    const base = phaseFigures(failing.total);
    const near = { ...base, success: base.success! + 0.004, goodput: base.goodput * 1.04, p99: base.p99! * 0.96 };
    expect(differences(base, near)).toMatchObject({ success: { verdict: 'same' }, goodput: { verdict: 'same' }, p99: { verdict: 'same' } });
    const d = differences({ ...base, goodput: 0 }, { ...base, goodput: 3 });
    expect(d.goodput).toEqual({ kind: 'ratio', value: null, direction: 'up', verdict: 'better' });
    expect(differences({ ...base, goodput: 0 }, { ...base, goodput: 0 }).goodput).toMatchObject({ value: 1, verdict: 'same' });
  });

  it('reads as "+42pp ▲", "×0.05 ▼", "×3.1 ▲", and with no arrow when the same', () => {
    expect(formatDifference({ kind: 'points', value: 42.2, direction: 'up', verdict: 'better' })).toBe('+42pp ▲');
    expect(formatDifference({ kind: 'points', value: -3.46, direction: 'down', verdict: 'worse' })).toBe('-3.5pp ▼');
    expect(formatDifference({ kind: 'points', value: -0.01, direction: 'same', verdict: 'same' })).toBe('+0pp');
    expect(formatDifference({ kind: 'ratio', value: 0.0512, direction: 'down', verdict: 'better' })).toBe('×0.051 ▼');
    expect(formatDifference({ kind: 'ratio', value: 3.14, direction: 'up', verdict: 'better' })).toBe('×3.1 ▲');
    expect(formatDifference({ kind: 'ratio', value: 1.01, direction: 'same', verdict: 'same' })).toBe('×1.0');
    expect(formatDifference({ kind: 'ratio', value: null, direction: 'up', verdict: 'better' })).toBe('from 0 ▲');
    expect([0, 0.0004, 0.05, 0.483, 1, 3.14, 9.96, 12.4, 250.2].map(formatRatio)).toEqual(['0', '<0.001', '0.05', '0.48', '1.0', '3.1', '10', '12', '250']);
  });
});

describe('the JSON document', () => {
  it('holds every run with its full result, and the rows', () => {
    const inputs = [ran(), { name: 'later', source: { kind: 'ran' as const }, result: undefined }, saved()];
    const c = buildComparison(inputs);
    const doc = compareDocument(c, [failing, undefined, fixed], '1.2.3');
    expect(doc.schema).toBe(COMPARE_SCHEMA);
    expect(doc.tool).toEqual({ name: 'incident-load', version: '1.2.3' });
    expect(doc.baseline).toBe('A');
    expect(doc.runs.map((r) => [r.label, r.name, r.source, r.result?.profile.name ?? null])).toEqual([
      ['A', 'checkout-surge', { kind: 'ran' }, 'checkout-surge'],
      ['B', 'later', { kind: 'ran' }, null],
      ['C', 'checkout-surge-fixed', { kind: 'file', path: 'results/fixed.json' }, 'checkout-surge-fixed'],
    ]);
    expect(doc.runs[0]!.result).toBe(failing);
    expect(doc.rows).toBe(c.rows);
    // It survives JSON: no Infinity or undefined that would come back different.
    expect(JSON.parse(JSON.stringify(doc.rows))).toEqual(doc.rows);
  });
});
