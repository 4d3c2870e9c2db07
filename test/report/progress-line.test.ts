import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/core/units.js';
import { renderProgress } from '../../src/report/text/progress-line.js';
import type { RunProgress } from '../../src/result/progress.js';
import { ANSI } from './helpers.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from './run-fixture.js';

const result = simulateRun(RAMP_WITH_FAILING_SURGE);
const progress: RunProgress = {
  incidentMs: 250_000,
  totalMs: 600_000,
  phase: 'surge',
  offered: 1234,
  ok: 1000,
  failed: 30,
  dropped: 12,
  inFlight: 88,
  window: result.timeline[24],
  draining: false,
};

describe('progress line', () => {
  it("shows elapsed/total incident time, phase, ok share of finished, offered, failed, dropped, in-flight and the last window's p99", () => {
    const line = renderProgress(progress, { color: false, width: 120 });
    expect(formatDuration(result.timeline[24]!.p99!)).toBe('15.4s');
    expect(result.timeline[24]!.durationMs).toBe(10_000);
    expect(line).toBe('4m10s/10m  surge  ok 96%  offered 1234  failed 30  dropped 12  in-flight 88  p99 15.4s (all outcomes, last 10s)');
    expect(line).not.toMatch(/\n/);
    expect(line).not.toMatch(ANSI);
  });

  it("labels the p99 honestly: the last closed window's, of every completion (the report's is the phase's, of successes)", () => {
    // It jumps from window to window with the load (73ms, 219ms, 43ms): the window's length says why.
    const at = (p99: number | null, durationMs: number): string =>
      renderProgress({ ...progress, window: { ...result.timeline[24]!, p99, durationMs } }, { color: false, width: 120 })
        .split('  ')
        .at(-1)!;
    expect(at(73, 500)).toBe('p99 73ms (all outcomes, last 500ms)');
    expect(at(219, 500)).toBe('p99 219ms (all outcomes, last 500ms)');
    // A window in which nothing finished has no p99.
    expect(at(null, 500)).toBe('p99 - (all outcomes, last 500ms)');
    // Short of room the label is shortened before the p99 is dropped.
    expect(renderProgress(progress, { color: false, width: 100 })).toBe(
      '4m10s/10m  surge  ok 96%  offered 1234  failed 30  dropped 12  in-flight 88  p99 15.4s (all, 10s)',
    );
  });

  it('says when it is draining the requests still in flight', () => {
    expect(renderProgress({ ...progress, draining: true, incidentMs: 600_000 }, { color: false, width: 120 })).toMatch(
      /^10m\/10m {2}draining {2}surge {2}ok 96%/,
    );
  });

  it('before any window closes or anything finishes, shows "-" rather than made-up numbers', () => {
    const line = renderProgress(
      { ...progress, ok: 0, failed: 0, dropped: 0, offered: 3, inFlight: 3, window: undefined, incidentMs: 500 },
      { color: false, width: 120 },
    );
    expect(line).toBe('500ms/10m  surge  ok -  offered 3  failed 0  dropped 0  in-flight 3  p99 -');
  });

  it('stays under the width, dropping the least telling pieces first', () => {
    for (const width of [10, 20, 30, 40, 60, 80, 100]) {
      const line = renderProgress(progress, { color: false, width });
      expect([...line].length).toBeLessThanOrEqual(width);
      expect(line.startsWith('4m10s/10m') || width < 10).toBe(true);
    }
    expect(renderProgress(progress, { color: false, width: 40 })).toBe('4m10s/10m  surge  ok 96%  offered 1234');
  });

  it('colours only when asked', () => {
    expect(renderProgress(progress, { color: true, width: 120 })).toMatch(ANSI);
  });
});
