import { describe, expect, it } from 'vitest';
import { formatDuration, formatRate } from '../../src/core/units.js';
import { PhaseRecorder } from '../../src/record/phase-recorder.js';
import { renderMixTable, renderPhaseTable } from '../../src/report/text/phase-table.js';
import { createStyle } from '../../src/report/text/style.js';
import { ANSI, cells, lines, widest } from './helpers.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from './run-fixture.js';
import { outcomeOf } from '../support/recording.js';

const result = simulateRun(RAMP_WITH_FAILING_SURGE);
const plain = createStyle(false);
const table = (width: number, color = false) => renderPhaseTable(result.phases, result.total, { color, width }, createStyle(color));
const row = (text: string, name: string) => cells(lines(text).find((l) => l.startsWith(name))!);
/** The two lines of column headings (under the title, which may wrap), as one. */
const heading = (text: string): string => {
  const all = lines(text);
  const at = all.findIndex((l) => /^phase\s/.test(l));
  return `${all[at]} ${all[at + 1]}`;
};

describe('phase table', () => {
  it('has a row per phase and a total, under a rule, with the measured numbers', () => {
    const text = table(160);
    const [warmup, surge, cooldown] = result.phases;
    const s = surge!;
    // phase, offered, offered req/s, achieved req/s, ok, failed, dropped, success, p50, p90, p99, p99.9,
    // max (of successes), p99 all, send lag p99, attempts/request
    expect(row(text, 'surge')).toEqual([
      'surge',
      String(s.offered),
      formatRate(s.rps.offered),
      formatRate(s.rps.achieved),
      String(s.ok),
      String(s.failed),
      String(s.dropped),
      '61.1%',
      formatDuration(s.okLatencyMs!.p50),
      formatDuration(s.okLatencyMs!.p90),
      formatDuration(s.okLatencyMs!.p99),
      formatDuration(s.okLatencyMs!.p999),
      formatDuration(s.okLatencyMs!.max),
      formatDuration(s.latencyMs!.p99),
      formatDuration(s.sendLagMs!.p99),
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

  it('is titled, and the title says whose latencies the columns are', () => {
    expect(lines(table(160))[0]).toBe(
      'phases (latencies of successes, from the intended send; p99 all: of every completed request, failures included; send lag: how late the generator sent)',
    );
    // Only the columns shown are explained.
    expect(lines(table(80))[0]).toBe('phases (latencies of successes, from the intended send)');
  });

  it('p50 to max are the successes\' latencies, so fast failures do not make a phase look fast; "p99 all" counts every completion', () => {
    // 30 successes in 100 ms, 60 immediate 503s in 2 ms, 10 timeouts at 2 s.
    const phase = new PhaseRecorder({ name: 'outage', model: 'open', startMs: 0, durationMs: 10_000 });
    const record = (n: number, status: number, error: string | undefined, ms: number): void => {
      for (let i = 0; i < n; i++) {
        phase.recordOffered();
        phase.recordSent(0.2);
        phase.recordAttempt(false);
        phase.recordOutcome(outcomeOf(status, error), ms, ms);
      }
    };
    record(30, 200, undefined, 100);
    record(60, 503, undefined, 2);
    record(10, 0, 'timeout', 2000);
    const p = phase.result();
    const [, , , , , , , , p50, p90, p99, p999, max, p99All] = row(renderPhaseTable([p], p, { color: false, width: 160 }, plain), 'outage');
    expect([p50, p90, p99, p999, max]).toEqual(['100ms', '100ms', '100ms', '100ms', '100ms']);
    // Every completion: the timeouts' 2 s; their p50 would have been the 503s' 2 ms.
    expect(p99All).toBe('2s');
    expect(formatDuration(p.latencyMs!.p50)).toBe('2ms');
  });

  it('send lag p99 is shown for open-model phases, "-" for closed-model ones (no schedule to be late for)', () => {
    const open = new PhaseRecorder({ name: 'open', model: 'open', startMs: 0, durationMs: 10_000 });
    const closed = new PhaseRecorder({ name: 'soak', model: 'closed', startMs: 10_000, durationMs: 10_000, vus: 4 });
    for (const [p, lag] of [
      [open, 3],
      [closed, undefined],
    ] as const) {
      p.recordOffered();
      p.recordSent(lag);
      p.recordAttempt(false);
      p.recordOutcome(outcomeOf(200), 10, 10);
    }
    const text = renderPhaseTable([open.result(), closed.result()], open.result(), { color: false, width: 160 }, plain);
    expect(heading(text)).toMatch(/send lag\s+attempts .*p99\s+\/request$/);
    expect(row(text, 'open').at(-2)).toBe('3ms');
    expect(row(text, 'soak (4 vus)').at(-2)).toBe('-');
  });

  it('fits 160 columns with every column', () => {
    const text = table(160);
    expect(widest(text)).toBeLessThanOrEqual(160);
    const head = heading(text);
    for (const h of ['offered', 'achieved', 'p50', 'p90', 'p99', 'p99.9', 'max', 'all', 'send lag', 'attempts']) expect(head).toContain(h);
  });

  it('when narrower, drops "p99 all" early and the send lag only after p90, max and p99.9', () => {
    const head = heading;
    /** The heading at the widest width where the table no longer has a column whose heading matches `gone`. */
    const whenGone = (render: (width: number) => string, gone: RegExp): string => {
      for (let width = 160; width >= 40; width--) if (!gone.test(head(render(width)))) return head(render(width));
      throw new Error(`never dropped: ${gone}`);
    };
    const allGone = whenGone(table, /\ball\b/);
    expect(allGone).not.toMatch(/offered\s+offered/);
    expect(allGone).toMatch(/\bp90\b/);
    const lagGone = whenGone(table, /send lag/);
    expect(lagGone).not.toMatch(/\bp90\b|\bmax\b|p99\.9/);
    expect(lagGone).toMatch(/achieved/);
    // Without a failure "p99 all" would repeat p99: it goes first (after attempts/request without retries).
    const healthy = simulateRun({ ...RAMP_WITH_FAILING_SURGE, shrink: undefined, routersDown: undefined, workers: 40, maxInFlight: 1000, faults: [] });
    expect(healthy.total.failed).toBe(0);
    const healthyTable = (width: number): string => renderPhaseTable(healthy.phases, healthy.total, { color: false, width }, plain);
    expect(whenGone(healthyTable, /\ball\b/)).toMatch(/offered\s+offered/);
  });

  it('fits 80 columns by dropping the least important columns, keeping phase, offered, ok, failed, dropped, success and p99', () => {
    const text = table(80);
    expect(widest(text)).toBeLessThanOrEqual(80);
    const head = heading(text);
    for (const kept of ['phase', 'offered', 'ok', 'failed', 'dropped', 'success', 'p99']) expect(head).toContain(kept);
    expect(head).not.toMatch(/\bp90\b/);
    expect(row(text, 'surge')).toContain(formatDuration(result.phases[1]!.okLatencyMs!.p99));
  });

  it('fits even a very narrow terminal', () => {
    for (const width of [40, 50, 60]) expect(widest(table(width))).toBeLessThanOrEqual(width);
  });

  it('marks closed-model phases, and shows "-" where there is nothing to divide', () => {
    const soak = new PhaseRecorder({ name: 'soak', model: 'closed', startMs: 0, durationMs: 60_000 });
    const idle = new PhaseRecorder({ name: 'idle', model: 'open', startMs: 60_000, durationMs: 60_000 });
    soak.recordOffered();
    soak.recordSent(undefined);
    soak.recordAttempt(false);
    soak.recordAttempt(true);
    soak.recordOutcome(outcomeOf(200), 120, 60);
    const text = renderPhaseTable([soak.result(), idle.result()], soak.result(), { color: false, width: 160 }, plain);
    const soakRow = row(text, 'soak');
    expect(soakRow[0]).toBe('soak (closed)');
    expect(soakRow.at(-1)).toBe('2.00');
    const idleRow = row(text, 'idle');
    // success, latencies, p99 all, send lag and amplification have nothing to show for a phase with no requests
    expect(idleRow.slice(7)).toEqual(['-', '-', '-', '-', '-', '-', '-', '-', '-']);
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
      const p = new PhaseRecorder({ name, model: 'open', startMs: start, durationMs: 10_000, classNames: ['fast', 'slow'] });
      for (let i = 0; i < 30; i++) {
        const [cls, status, ms] = i % 3 === 0 ? [0, 200, 100] : [1, 503, 2000];
        p.recordOffered(cls);
        p.recordSent(0, cls);
        p.recordAttempt(false, cls);
        p.recordOutcome(outcomeOf(status), ms, ms, cls);
      }
      return p;
    };
    const phases = [recorder('warmup', 0), recorder('surge', 10_000)].map((p) => p.result());
    const total = { ...phases[1]!, name: 'total', mix: phases[1]!.mix!.map((c) => ({ ...c, offered: c.offered * 2 })) };
    const text = renderMixTable(phases, total, { color: false, width: 120 }, plain);
    const names = lines(text)
      .map((l) => l.split(/\s{2,}/)[0])
      .filter((n) => n!.includes('·'));
    expect(names).toEqual(['warmup · fast', 'warmup · slow', 'surge · fast', 'surge · slow', 'total · fast', 'total · slow']);
    expect(text.split('\n')[0]).toBe('request mix (each class of request alone; latencies of successes, as above)');
    expect(row(text, 'surge · fast').slice(0, 2)).toEqual(['surge · fast', '10']);
    expect(row(text, 'surge · slow')).toContain('0%');
    expect(row(text, 'total · slow')[1]).toBe('40');
    const all = lines(text);
    expect(all[all.findIndex((l) => l.startsWith('total · fast')) - 1]).toMatch(/^─+$/);
    expect(widest(renderMixTable(phases, total, { color: false, width: 80 }, plain))).toBeLessThanOrEqual(80);
  });
});
