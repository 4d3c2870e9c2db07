import { describe, expect, it } from 'vitest';
import type { TimelineWindow } from '../../src/result/run-result.js';
import { LEVELS } from '../../src/report/text/bar.js';
import { createStyle } from '../../src/report/text/style.js';
import { renderTimeline, timelineColumns, untilEnd } from '../../src/report/text/timeline-chart.js';
import { ANSI, lines, widest } from './helpers.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from './run-fixture.js';

const result = simulateRun(RAMP_WITH_FAILING_SURGE);
const plain = createStyle(false);
const LABEL = 9; // "success  " etc.

function chart(width: number, r = result): string {
  return renderTimeline(r.timeline, r.phases, r.faults, { color: false, width }, plain);
}

/** The chart columns of the row with this label. */
function row(text: string, label: string): string[] {
  const line = lines(text).find((l) => l.startsWith(`${label} `))!;
  return [...line.slice(LABEL)].slice(0, columnsOf(text));
}

/** Chart columns: the success row between its label and its scale. */
function columnsOf(text: string): number {
  const line = lines(text).find((l) => l.startsWith('success '))!;
  return [...line.slice(LABEL, line.lastIndexOf(' max '))].length;
}

const height = (ch: string): number => (ch === '_' ? 0 : LEVELS.indexOf(ch) + 1);

describe('timeline', () => {
  it('draws one column per window when the width allows', () => {
    const text = chart(120);
    expect(result.timeline.length).toBe(60);
    expect(columnsOf(text)).toBe(60);
    for (const label of ['success', 'ok/s', 'p99', 'queued', 'busy', 'workers', 'routers']) expect(row(text, label)).toHaveLength(60);
    expect(widest(text)).toBeLessThanOrEqual(120);
  });

  it('success bars follow ok ÷ (ok + failed + dropped) of each window: full only at 100%, lower when lower', () => {
    const bars = row(chart(120), 'success').map(height);
    const ratios = result.timeline.map((w) => w.ok / (w.ok + w.failed + w.dropped));
    ratios.forEach((r, i) => {
      if (r === 1) expect(bars[i]).toBe(8);
      else expect(bars[i]).toBeLessThan(8);
    });
    for (let i = 0; i < ratios.length; i++) for (let j = 0; j < ratios.length; j++) if (ratios[i]! < ratios[j]!) expect(bars[i]).toBeLessThanOrEqual(bars[j]!);
    // the surge fails: some of its windows are well under half
    expect(Math.min(...bars)).toBeLessThanOrEqual(4);
  });

  it('throughput and p99 bars rise and fall with the numbers; the scale on the right is the largest', () => {
    const text = chart(120);
    const p99 = row(text, 'p99').map(height);
    const values = result.timeline.map((w) => w.p99!);
    const max = Math.max(...values);
    expect(p99[values.indexOf(max)]).toBe(8);
    for (let i = 0; i < values.length; i++) for (let j = 0; j < values.length; j++) if (values[i]! < values[j]!) expect(p99[i]).toBeLessThanOrEqual(p99[j]!);
    expect(lines(text).find((l) => l.startsWith('p99 '))).toMatch(/max 24\.8s$/);
    // The windows' p99 counts failures too, and the title says so (the phase table's p99 is of successes).
    expect(lines(text).join(' ')).toContain('p99 of every request finishing in it, failures included');
    const okps = row(text, 'ok/s').map(height);
    const ok = result.timeline.map((w) => w.ok);
    for (let i = 0; i < ok.length; i++) for (let j = 0; j < ok.length; j++) if (ok[i]! < ok[j]!) expect(okps[i]).toBeLessThanOrEqual(okps[j]!);
  });

  it('shows the mock: the queue builds in the surge, the fleet halves at the fault, routers vanish while killed', () => {
    const text = chart(120);
    const queued = row(text, 'queued').map(height);
    expect(queued.slice(0, 12).every((h) => h === 0)).toBe(true);
    expect(Math.max(...queued.slice(12, 42))).toBe(8);
    const workers = row(text, 'workers').join('');
    expect(workers.slice(0, 17)).toBe('█'.repeat(17));
    expect(workers.slice(18, 60)).toBe('▄'.repeat(42));
    const routers = row(text, 'routers');
    expect(routers.slice(23, 25)).toEqual(['_', '_']);
    expect(routers[22]).toBe('█');
  });

  it('marks a window with no data with a dot and a measured zero with a baseline, never a bar', () => {
    const w = (t: number, fields: Partial<TimelineWindow>): TimelineWindow => ({
      t,
      durationMs: 1000,
      offered: 0,
      ok: 0,
      failed: 0,
      dropped: 0,
      p50: null,
      p99: null,
      histogram: '',
      ...fields,
    });
    const timeline = [
      w(0, { offered: 10, ok: 10, p50: 5, p99: 9 }),
      w(1000, {}),
      w(2000, { offered: 10, failed: 10, p50: 5, p99: 20 }),
      w(3000, { offered: 5, ok: 5, p99: 1 }),
    ];
    const phase = { ...result.phases[0]!, startMs: 0, durationMs: 4000 };
    const text = renderTimeline(timeline, [phase], [], { color: false, width: 80 }, plain);
    expect(row(text, 'success')).toEqual(['█', '·', '_', '█']);
    expect(row(text, 'p99')).toEqual(['▄', '·', '█', '▁']);
    expect(row(text, 'ok/s')).toEqual(['█', '·', '_', '▄']);
    // no mock samples: no mock rows
    expect(lines(text).some((l) => l.startsWith('queued'))).toBe(false);
  });

  it('leaves out the routers row when the mock has no router stage (none ready all along)', () => {
    const timeline = result.timeline.map((w) => ({ ...w, mock: w.mock && { ...w.mock, routersReady: 0 } }));
    const text = renderTimeline(timeline, result.phases, result.faults, { color: false, width: 120 }, plain);
    expect(lines(text).some((l) => l.startsWith('workers'))).toBe(true);
    expect(lines(text).some((l) => l.startsWith('routers'))).toBe(false);
  });

  it('leaves it out too when the mock reports routersReady null (no router stage)', () => {
    const timeline = result.timeline.map((w) => ({ ...w, mock: w.mock && { ...w.mock, routersReady: null as unknown as number } }));
    const text = renderTimeline(timeline, result.phases, result.faults, { color: false, width: 120 }, plain);
    expect(lines(text).some((l) => l.startsWith('routers'))).toBe(false);
    expect(timelineColumns(timeline, 2)[0]!.mock!.routersReady).toBeUndefined();
  });

  it('marks phase boundaries and faults on the axis, and lists the faults with time and name', () => {
    const text = chart(120);
    const axis = lines(text)
      .find((l) => l.startsWith('phases'))!
      .slice(LABEL);
    expect(axis[0]).toBe('├');
    expect(axis[12]).toBe('┼'); // surge at 2m, 10 s windows
    expect(axis[42]).toBe('┼'); // cooldown at 7m
    expect(axis[60]).toBe('┤');
    const names = lines(text)[lines(text).findIndex((l) => l.startsWith('phases')) + 1]!.slice(LABEL);
    expect(names.indexOf('warmup')).toBe(0);
    expect(names.indexOf('surge')).toBe(12);
    expect(names.indexOf('cooldown')).toBe(42);
    const faults = lines(text)
      .find((l) => l.startsWith('faults'))!
      .slice(LABEL);
    expect(faults.indexOf('1')).toBe(18);
    expect(faults.indexOf('2')).toBe(24);
    expect(text).toMatch(/1 {2}at 3m {2}shrink-fleet workers=4/);
    expect(text).toMatch(/2 {2}at 4m {2}kill-routers for=20s/);
  });

  it('says when a fault could not be applied', () => {
    const faults = [{ at: 30_000, fault: 'shrink-fleet', params: { workers: 2 }, error: 'not applied: faults need the bundled mock' }];
    expect(renderTimeline(result.timeline, result.phases, faults, { color: false, width: 120 }, plain)).toContain('shrink-fleet workers=2 — not applied');
  });

  it('merges windows on a narrow terminal, keeping the sums and the worst p99', () => {
    const text = chart(60);
    expect(widest(text)).toBeLessThanOrEqual(60);
    expect(columnsOf(text)).toBe(30);
    const columns = timelineColumns(result.timeline, 2);
    expect(columns).toHaveLength(30);
    const sum = (xs: { ok: number; failed: number; dropped: number; offered: number }[]) =>
      xs.reduce((a, x) => a + x.ok + 10 * x.failed + 100 * x.dropped + 1000 * x.offered, 0);
    expect(sum(columns)).toBe(sum(result.timeline));
    expect(columns[13]!.p99).toBe(Math.max(result.timeline[26]!.p99!, result.timeline[27]!.p99!));
    expect(columns[9]!.mock!.workers).toBe(Math.min(result.timeline[18]!.mock!.workers, result.timeline[19]!.mock!.workers));
  });

  it('an interrupted run draws only the windows it reached', () => {
    const cut = simulateRun({ ...RAMP_WITH_FAILING_SURGE, interruptAt: 330_000 });
    expect(cut.timeline.length).toBeGreaterThan(33);
    expect(untilEnd(cut.timeline, cut.phases)).toHaveLength(33);
    expect(columnsOf(chart(120, cut))).toBe(33);
  });

  it('fits every width and has no escapes without colour', () => {
    for (const width of [40, 60, 80, 100, 120, 160]) expect(widest(chart(width))).toBeLessThanOrEqual(width);
    expect(chart(100)).not.toMatch(ANSI);
    expect(renderTimeline(result.timeline, result.phases, result.faults, { color: true, width: 100 }, createStyle(true))).toMatch(ANSI);
  });
});
