// The warning under the phase table when the generator fell behind its own schedule: which phases, by
// how much, against a limit of 10 ms of wall time (in incident time: × the speed), and what to do.
import { describe, expect, it } from 'vitest';
import { PhaseRecorder } from '../../src/record/phase-recorder.js';
import type { PhaseResult } from '../../src/result/run-result.js';
import { renderRunReport } from '../../src/report/text/run-report.js';
import { renderSendLagWarning, SEND_LAG_LIMIT_WALL_MS } from '../../src/report/text/send-lag-warning.js';
import { createStyle } from '../../src/report/text/style.js';
import { ANSI, lines, widest } from './helpers.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from './run-fixture.js';
import { outcomeOf } from '../support/recording.js';

const plain = createStyle(false);

/** A phase of `count` requests in `durationMs` (100 in 1 s: 10 ms apart), every first attempt sent `lagMs` (incident ms) late. */
function phaseWithLag(name: string, lagMs: number | undefined, model: 'open' | 'closed' = 'open', durationMs = 1_000, count = 100): PhaseResult {
  const phase = new PhaseRecorder({ name, model, startMs: 0, durationMs, vus: model === 'closed' ? 10 : undefined });
  for (let i = 0; i < count; i++) {
    phase.recordOffered();
    phase.recordSent(lagMs);
    phase.recordAttempt(false);
    phase.recordOutcome(outcomeOf(200), 20, 20);
  }
  return phase.result();
}

const warning = (phases: PhaseResult[], speed = 1, width = 100): string => renderSendLagWarning(phases, speed, { color: false, width }, plain);

describe('send lag warning', () => {
  it('says nothing when the generator kept up', () => {
    expect(SEND_LAG_LIMIT_WALL_MS).toBe(10);
    expect(warning([phaseWithLag('warmup', 0.3), phaseWithLag('steady', 9.9)])).toBe('');
    expect(warning(simulateRun(RAMP_WITH_FAILING_SURGE).phases, 60)).toBe('');
  });

  it('names each phase whose send lag p99 passed the limit, says why it matters and what to do', () => {
    const text = warning([phaseWithLag('warmup', 0.3), phaseWithLag('surge', 188), phaseWithLag('steady', 40)]);
    expect(lines(text).join(' ')).toBe(
      'generator fell behind: send lag p99 was 188ms in surge, 40ms in steady (limit 10ms × speed 1, and the gap between arrivals): arrivals went out late, ' +
        'so the offered load was not the schedule; run fewer req/s per process, or more processes, on cores nothing else is using',
    );
  });

  it('lag is in incident time, so the limit is 10ms of wall time × the speed', () => {
    // At speed 60, 500 ms of incident time is 8.3 ms of wall time: within the limit; 700 ms is 11.7 ms.
    expect(warning([phaseWithLag('surge', 500)], 60)).toBe('');
    expect(lines(warning([phaseWithLag('surge', 700)], 60, 200))[0]).toContain(
      'send lag p99 was 700ms in surge (limit 10ms × speed 60 = 600ms, and the gap between arrivals)',
    );
    expect(warning([phaseWithLag('surge', 6, 'open', 100)], 0.5, 200)).toContain('(limit 10ms × speed 0.5 = 5ms, and the gap between arrivals)');
  });

  it('only lag longer than the gap between arrivals changes the load: 13 ms at 50 req/s is none, 25 ms is', () => {
    // 50 req/s for 10 s: arrivals 20 ms apart. A 13 ms blip sends no two of them together.
    expect(warning([phaseWithLag('warm-up', 13, 'open', 10_000, 500)])).toBe('');
    expect(warning([phaseWithLag('warm-up', 25, 'open', 10_000, 500)])).toContain('send lag p99 was 25ms in warm-up');
    // At 5,000 req/s (0.2 ms apart) the 10 ms limit is what counts.
    expect(warning([phaseWithLag('surge', 9, 'open', 1_000, 5_000)])).toBe('');
    expect(warning([phaseWithLag('surge', 11, 'open', 1_000, 5_000)])).toContain('send lag p99 was 11ms in surge');
  });

  it('never for a closed-model phase: its users send when they are ready, there is no schedule to fall behind', () => {
    const soak = phaseWithLag('soak', undefined, 'closed');
    expect(soak.sendLagMs).toBeNull();
    expect(warning([soak])).toBe('');
  });

  it('wraps to the width, and is coloured as a warning only with colour on', () => {
    const phases = [phaseWithLag('surge', 188)];
    const text = warning(phases, 1, 60);
    expect(lines(text).length).toBeGreaterThan(2);
    expect(widest(text)).toBeLessThanOrEqual(60);
    expect(text).not.toMatch(ANSI);
    expect(renderSendLagWarning(phases, 1, { color: true, width: 60 }, createStyle(true))).toMatch(/\x1b\[33m/);
  });

  it('comes right under the phase table in the run report', () => {
    const base = simulateRun(RAMP_WITH_FAILING_SURGE);
    // The surge's sends 2 s late in incident time: 33 ms of wall time at the fixture's speed 60.
    const surge = phaseWithLag('surge', 2000);
    const result = { ...base, phases: base.phases.map((p) => (p.name === 'surge' ? { ...p, sendLagMs: surge.sendLagMs } : p)) };
    const all = lines(renderRunReport(result, { color: false, width: 100 }));
    const total = all.findIndex((l) => l.startsWith('total'));
    expect(all[total + 1]).toMatch(/^generator fell behind: send lag p99 was 2s in surge \(limit 10ms × speed 60 = 600ms, and the gap/);
    expect(lines(renderRunReport(base, { color: false, width: 100 })).join('\n')).not.toContain('fell behind');
  });
});
