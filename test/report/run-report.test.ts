import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/core/units.js';
import { renderRunReport } from '../../src/report/text/run-report.js';
import { ANSI, lines, widest } from './helpers.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from './run-fixture.js';

const result = simulateRun(RAMP_WITH_FAILING_SURGE);

describe('run report', () => {
  it('opens with what ran: profile, target, model and arrivals, incident and wall time, speed, seed', () => {
    const head = lines(renderRunReport(result, { color: false, width: 100 })).slice(0, 5);
    expect(head).toEqual([
      'incident-load 0.1.0 · checkout-surge',
      'target  mock (http://127.0.0.1:41234)',
      'load    open model, poisson arrivals · 3 phases',
      `time    10m of incident time in ${formatDuration(result.wallMs)} wall (speed 60×)`,
      'seed    7 · started 2025-01-15T09:30:00.000Z',
    ]);
  });

  it('has its sections in order: header, phase table, latency, outcomes, timeline, thresholds', () => {
    const all = lines(renderRunReport(result, { color: false, width: 100 }));
    const at = (pattern: RegExp) => all.findIndex((l) => pattern.test(l));
    const order = [/^incident-load /, /^phases \(latencies of successes/, /^phase\s+offered/, /^latency /, /^outcomes /, /^timeline /, /^thresholds /].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('without colour has no escape sequences at all; with colour it has them', () => {
    for (const width of [60, 80, 100, 120]) expect(renderRunReport(result, { color: false, width })).not.toMatch(ANSI);
    expect(renderRunReport(result, { color: true, width: 100 })).toMatch(ANSI);
  });

  it('fits the width it is given, in colour or not', () => {
    for (const width of [60, 80, 100, 120, 160]) {
      expect(widest(renderRunReport(result, { color: false, width }))).toBeLessThanOrEqual(width);
      expect(widest(renderRunReport(result, { color: true, width }))).toBeLessThanOrEqual(width);
    }
  });

  it('says plainly when the run was interrupted, and reports what it measured', () => {
    expect(renderRunReport(result, { color: false, width: 100 })).not.toContain('interrupted');
    const cut = simulateRun({ ...RAMP_WITH_FAILING_SURGE, interruptAt: 330_000 });
    const text = renderRunReport(cut, { color: false, width: 100 });
    expect(text).toContain('interrupted after 5m30s of 10m of incident time — partial results');
    expect(text).toMatch(new RegExp(`${cut.total.unfinished} requests still in flight`));
    expect(lines(text).some((l) => l.startsWith('cooldown'))).toBe(false);
  });

  it('renders a run where nothing completed: dashes, not zeros or crashes', () => {
    const blackout = simulateRun({ ...RAMP_WITH_FAILING_SURGE, maxInFlight: 0, thresholds: ['p99 < 1s', 'success >= 0.5'] });
    expect(blackout.total.ok + blackout.total.failed).toBe(0);
    const text = renderRunReport(blackout, { color: false, width: 100 });
    const total = lines(text).find((l) => l.startsWith('total'))!;
    expect(total).toMatch(/0%\s+-\s+-/);
    expect(text).toContain('no request completed');
    expect(text).toContain('FAIL p99 < 1s');
    expect(text).toContain('actual no data');
    expect(lines(text).find((l) => l.startsWith('dropped'))).toMatch(/100%/);
  });

  it('defaults to 100 columns without colour', () => {
    const text = renderRunReport(result);
    expect(text).not.toMatch(ANSI);
    expect(widest(text)).toBeLessThanOrEqual(100);
  });
});
