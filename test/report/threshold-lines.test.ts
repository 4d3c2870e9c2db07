import { describe, expect, it } from 'vitest';
import { createStyle } from '../../src/report/text/style.js';
import { formatActual, renderThresholdLines } from '../../src/report/text/threshold-lines.js';
import { ANSI, lines, widest } from './helpers.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from './run-fixture.js';

const result = simulateRun(RAMP_WITH_FAILING_SURGE);

describe('threshold lines', () => {
  it('one line each: ok/FAIL without colour, the expression, and the actual value in its unit', () => {
    const text = renderThresholdLines(result.thresholds, { color: false, width: 100 }, createStyle(false));
    expect(text).not.toMatch(ANSI);
    expect(lines(text)).toEqual([
      'thresholds 3 of 6 failed',
      'ok   p99 < 30s          actual 22.2s',
      'FAIL success >= 95%     actual 69.3%',
      // p99 reads the successes: the surge's 504s at the 20 s queue timeout are not in it.
      'FAIL surge: p99 < 10s   actual 22.5s',
      'ok   warmup: p99 < 10s  actual 5.55s',
      'FAIL dropped == 0       actual 604',
      'ok   rps >= 3           actual 3.4/s',
    ]);
  });

  it("every completion's latency (all.*) and the send lag (lag.*) read as durations too", () => {
    const text = renderThresholdLines(
      [
        { expr: 'all.p99 < 1s', ok: false, actual: 2000 },
        { expr: 'lag.p99 < 10ms', ok: false, actual: 188 },
        { expr: 'steady: lag.p99.9 < 1ms', ok: true, actual: 0.35 },
        { expr: 'soak: lag.max < 1s', ok: false, actual: NaN },
      ],
      { color: false, width: 80 },
      createStyle(false),
    );
    expect(lines(text).slice(1)).toEqual([
      'FAIL all.p99 < 1s             actual 2s',
      'FAIL lag.p99 < 10ms           actual 188ms',
      'ok   steady: lag.p99.9 < 1ms  actual 350µs',
      'FAIL soak: lag.max < 1s       actual no data',
    ]);
  });

  it('✓ and ✗ with colour', () => {
    const text = renderThresholdLines(result.thresholds, { color: true, width: 100 }, createStyle(true));
    expect(text).toMatch(ANSI);
    expect(lines(text)[1]).toMatch(/^✓ p99 < 30s/);
    expect(lines(text)[2]).toMatch(/^✗ success >= 95%/);
  });

  it('says "no data" for a threshold that had nothing to measure, and says all held when they did', () => {
    const text = renderThresholdLines(
      [
        { expr: 'surge: p99 < 1s', ok: false, actual: NaN },
        { expr: 'errors < 1%', ok: true, actual: 0.004 },
        { expr: 'dropped < 1%', ok: true, actual: 0 },
      ],
      { color: false, width: 80 },
      createStyle(false),
    );
    expect(lines(text)[1]).toBe('FAIL surge: p99 < 1s  actual no data');
    expect(lines(text)[2]).toBe('ok   errors < 1%      actual 0.4%');
    expect(lines(text)[3]).toBe('ok   dropped < 1%     actual 0%');
    expect(renderThresholdLines([{ expr: 'rps >= 1', ok: true, actual: 2 }], { color: false, width: 80 }, createStyle(false))).toMatch(
      /^thresholds all 1 held/,
    );
  });

  it('nothing at all when the run had no thresholds; long expressions are cut to the width', () => {
    expect(renderThresholdLines([], { color: false, width: 80 }, createStyle(false))).toBe('');
    const long = [{ expr: `p99 < ${'1'.repeat(100)}ms`, ok: true, actual: 5 }];
    expect(widest(renderThresholdLines(long, { color: false, width: 60 }, createStyle(false)))).toBeLessThanOrEqual(60);
  });

  it('formatActual falls back to the number when the expression does not parse', () => {
    expect(formatActual({ expr: 'nonsense', ok: false, actual: 3 })).toBe('3');
  });
});
