import { describe, expect, it } from 'vitest';
import { formatDuration, formatRate } from '../../src/profile/units.js';
import { PhaseRecorder } from '../../src/record/phase-recorder.js';
import { renderMixTable, renderPhaseTable } from '../../src/report/text/phase-table.js';
import { createStyle } from '../../src/report/text/style.js';
import { ANSI, cells, lines, widest } from './helpers.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from './run-fixture.js';

const result = simulateRun(RAMP_WITH_FAILING_SURGE);
const plain = createStyle(false);
const table = (width: number, color = false) => renderPhaseTable(result.phases, result.total, { color, width }, createStyle(color));
const row = (text: string, name: string) => cells(lines(text).find((l) => l.startsWith(name))!);

describe('phase table', () => {
  it('has a row per phase and a total, under a rule, with the measured numbers', () => {
    const text = table(120);
    const [warmup, surge, cooldown] = result.phases;
    const s = surge!;
    // phase, offered, offered req/s, achieved req/s, ok, failed, dropped, success, p50, p90, p99, p99.9, max, attempts/request
    expect(row(text, 'surge')).toEqual([
      'surge',
      String(s.offered),
      formatRate(s.rps.offered),
      formatRate(s.rps.achieved),
      String(s.ok),
      String(s.failed),
      String(s.dropped),
      '61.1%',
      formatDuration(s.latencyMs!.p50),
      formatDuration(s.latencyMs!.p90),
      formatDuration(s.latencyMs!.p99),
      formatDuration(s.latencyMs!.p999),
      formatDuration(s.latencyMs!.max),
      (s.attempts / s.sent).toFixed(2),
    ]);
    expect(s.offered).toBe(2108);
    expect(s.dropped).toBeGreaterThan(0);
    expect(row(text, 'warmup')[1]).toBe(String(warmup!.offered));
    expect(row(text, 'cooldown')[7]).toBe('100%');
    expect(cooldown!.successRatio).toBe(1);

    const all = lines(text);
    const totalAt = all.findIndex((l) => l.startsWith('total'));
    expect(totalAt).toBe(all.length - 1);
    expect(all[totalAt - 1]).toMatch(/^─+$/);
    expect(row(text, 'total').slice(0, 8)).toEqual([
      'total',
      String(result.total.offered),
      formatRate(result.total.rps.offered),
      formatRate(result.total.rps.achieved),
      String(result.total.ok),
      String(result.total.failed),
      String(result.total.dropped),
      '69.3%',
    ]);
  });

  it('fits 120 columns with every column', () => {
    const text = table(120);
    expect(widest(text)).toBeLessThanOrEqual(120);
    for (const head of ['offered', 'achieved', 'p50', 'p90', 'p99', 'p99.9', 'max', 'attempts']) expect(lines(text).slice(0, 2).join(' ')).toContain(head);
  });

  it('fits 80 columns by dropping the least important columns, keeping phase, offered, ok, failed, dropped, success and p99', () => {
    const text = table(80);
    expect(widest(text)).toBeLessThanOrEqual(80);
    const head = lines(text).slice(0, 2).join(' ');
    for (const kept of ['phase', 'offered', 'ok', 'failed', 'dropped', 'success', 'p99']) expect(head).toContain(kept);
    expect(head).not.toMatch(/\bp90\b/);
    expect(row(text, 'surge')).toContain(formatDuration(result.phases[1]!.latencyMs!.p99));
  });

  it('fits even a very narrow terminal', () => {
    for (const width of [40, 50, 60]) expect(widest(table(width))).toBeLessThanOrEqual(width);
  });

  it('marks closed-model phases, and shows "-" where there is nothing to divide', () => {
    const soak = new PhaseRecorder('soak', 'closed', 0, 60_000);
    const idle = new PhaseRecorder('idle', 'open', 60_000, 60_000);
    soak.recordOffered();
    soak.recordSent(0);
    soak.recordAttempt(false);
    soak.recordAttempt(true);
    soak.recordOutcome(200, undefined, 120, 60);
    const text = renderPhaseTable([soak.result(), idle.result()], soak.result(), { color: false, width: 120 }, plain);
    const soakRow = row(text, 'soak');
    expect(soakRow[0]).toBe('soak (closed)');
    expect(soakRow.at(-1)).toBe('2.00');
    const idleRow = row(text, 'idle');
    // success, latencies and amplification have nothing to show for a phase with no requests
    expect(idleRow.slice(7)).toEqual(['-', '-', '-', '-', '-', '-', '-']);
  });

  it('has no escape sequences without colour, and colours with it', () => {
    expect(table(120)).not.toMatch(ANSI);
    expect(table(120, true)).toMatch(ANSI);
    expect(widest(table(100, true))).toBeLessThanOrEqual(100);
  });
});

describe('request mix table', () => {
  it('is empty without a mix', () => {
    expect(renderMixTable(result.phases, result.total, { color: false, width: 120 }, plain)).toBe('');
  });

  it('has a "phase · class" row per class of each phase, then each class\'s total under a rule', () => {
    // Each phase's classes recorded with the real recorder: "fast" all 200 in 100 ms, "slow" all 503 in 2 s.
    const recorder = (name: string, start: number): PhaseRecorder => {
      const p = new PhaseRecorder(name, 'open', start, 10_000, undefined, ['fast', 'slow']);
      for (let i = 0; i < 30; i++) {
        const [cls, status, ms] = i % 3 === 0 ? [0, 200, 100] : [1, 503, 2000];
        for (const r of [p, p.classes![cls]!]) {
          r.recordOffered();
          r.recordSent(0);
          r.recordAttempt(false);
          r.recordOutcome(status, undefined, ms, ms);
        }
      }
      return p;
    };
    const phases = [recorder('warmup', 0), recorder('surge', 10_000)].map((p) => p.result());
    const total = { ...phases[1]!, name: 'total', mix: phases[1]!.mix!.map((c) => ({ ...c, offered: c.offered * 2 })) };
    const text = renderMixTable(phases, total, { color: false, width: 120 }, plain);
    const names = lines(text).map((l) => l.split(/\s{2,}/)[0]).filter((n) => n!.includes('·'));
    expect(names).toEqual(['warmup · fast', 'warmup · slow', 'surge · fast', 'surge · slow', 'total · fast', 'total · slow']);
    expect(text.split('\n')[0]).toMatch(/^request mix/);
    expect(row(text, 'surge · fast').slice(0, 2)).toEqual(['surge · fast', '10']);
    expect(row(text, 'surge · slow')).toContain('0%');
    expect(row(text, 'total · slow')[1]).toBe('40');
    const all = lines(text);
    expect(all[all.findIndex((l) => l.startsWith('total · fast')) - 1]).toMatch(/^─+$/);
    expect(widest(renderMixTable(phases, total, { color: false, width: 80 }, plain))).toBeLessThanOrEqual(80);
  });
});
