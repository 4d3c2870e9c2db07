// The data the HTML report's charts are drawn from, from a run made by the real recorders (the report
// fixture: a fleet shrunk mid-surge, routers down for 20 s): each window's percentiles are its own
// histogram's, the rates its counts over its length, the phases' bands and the faults' markers sit at
// their times, and the percentile curves read the phases' histograms.
import { describe, expect, it } from 'vitest';
import { decodeHistogram, summarize } from '../../../src/core/latency-histogram.js';
import { runCharts } from '../../../src/report/html/data/run-charts.js';
import { compareCharts } from '../../../src/report/html/data/compare-charts.js';
import { overlay } from '../../../src/report/html/data/overlay.js';
import { DECADES, percentileAt, percentileCurve, percentileGrid, POINTS_PER_DECADE } from '../../../src/report/html/data/percentiles.js';
import { faultMarkers, phaseBands, timeRange } from '../../../src/report/html/data/time-axis.js';
import { windowFigures } from '../../../src/report/html/data/windows.js';
import type { Chart } from '../../../src/report/html/chart-data.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from '../run-fixture.js';

const result = simulateRun(RAMP_WITH_FAILING_SURGE);
const chart = (charts: Chart[], id: string): Chart => {
  const found = charts.find((c) => c.id === id);
  if (!found) throw new Error(`no chart ${id}`);
  return found;
};
const series = (c: Chart, label: string): (number | null)[] => c.series.find((s) => s.label === label)!.values;

describe('windowFigures', () => {
  const figures = windowFigures(result.timeline, result.phases);

  it('has one point per window, at its middle, in seconds', () => {
    expect(figures).toHaveLength(result.timeline.length);
    figures.forEach((f, i) => expect(f.x).toBe((result.timeline[i]!.t + result.timeline[i]!.durationMs / 2) / 1000));
  });

  it("reads each window's p50, p90, p99 and max from that window's own histogram", () => {
    let compared = 0;
    result.timeline.forEach((w, i) => {
      const summary = summarize(decodeHistogram(w.histogram));
      const f = figures[i]!;
      if (summary === null) {
        expect([f.p50, f.p90, f.p99, f.max]).toEqual([null, null, null, null]);
        return;
      }
      expect([f.p50, f.p90, f.p99, f.max]).toEqual([summary.p50, summary.p90, summary.p99, summary.max]);
      // And the window's own p50/p99 fields, which the recorder read from the same histogram.
      expect(f.p50).toBe(w.p50);
      expect(f.p99).toBe(w.p99);
      compared++;
    });
    expect(compared).toBeGreaterThan(20);
  });

  it('gives rates per second of incident time and the share that succeeded', () => {
    result.timeline.forEach((w, i) => {
      const f = figures[i]!;
      const seconds = w.durationMs / 1000;
      expect(f.offeredPerSecond).toBeCloseTo(w.offered / seconds, 9);
      expect(f.okPerSecond).toBeCloseTo(w.ok / seconds, 9);
      expect(f.failedPerSecond).toBeCloseTo(w.failed / seconds, 9);
      const finished = w.ok + w.failed + w.dropped;
      expect(f.success).toBe(finished > 0 ? w.ok / finished : null);
    });
  });

  it("carries the mock's samples, and null where a window has none", () => {
    result.timeline.forEach((w, i) => expect(figures[i]!.mock).toEqual(w.mock ?? null));
    expect(figures.some((f) => f.mock !== null)).toBe(true);
  });

  it('leaves out the windows an interrupted run never reached', () => {
    const cut = simulateRun({ ...RAMP_WITH_FAILING_SURGE, interruptAt: 200_000 });
    const drawn = windowFigures(cut.timeline, cut.phases);
    expect(drawn.length).toBeLessThan(cut.timeline.length);
    expect(drawn.at(-1)!.x).toBeLessThan(cut.plannedMs / 1000);
  });
});

describe('the time axis', () => {
  it('draws each phase as a band from its start to its end, in seconds', () => {
    expect(phaseBands(result.phases)).toEqual([
      { from: 0, to: 120, label: 'warmup' },
      { from: 120, to: 420, label: 'surge' },
      { from: 420, to: 600, label: 'cooldown' },
    ]);
  });

  it('marks each fault at its time, with its params, and says when one was not applied', () => {
    expect(faultMarkers(result.faults)).toEqual([
      { at: 180, label: 'shrink-fleet workers=4', failed: false },
      { at: 240, label: 'kill-routers for=20s', failed: false },
    ]);
    expect(faultMarkers([{ at: 5_000, fault: 'latency', params: { ms: 200 }, error: 'no such route' }])).toEqual([
      { at: 5, label: 'latency ms=200 (not applied)', failed: true },
    ]);
  });

  it('spans the planned length, and a longer timeline if it runs on', () => {
    expect(timeRange([result])).toEqual([0, 600]);
    const longer = { ...result, plannedMs: 300_000 };
    expect(timeRange([longer])).toEqual([0, 600]);
  });

  it('is shared by every time chart of the run, with the same bands and markers', () => {
    const charts = runCharts(result).filter((c) => c.kind === 'time');
    expect(charts.map((c) => c.id)).toEqual(['throughput', 'success', 'latency', 'mock', 'send-lag']);
    for (const c of charts) {
      expect(c.xRange).toEqual([0, 600]);
      expect(c.bands).toEqual(phaseBands(result.phases));
      expect(c.markers).toEqual(faultMarkers(result.faults));
      for (const s of c.series) expect(s.values).toHaveLength(c.x.length);
    }
  });
});

describe('runCharts', () => {
  const charts = runCharts(result);
  const figures = windowFigures(result.timeline, result.phases);

  it('draws offered, ok and failed per second, success and the latency percentiles per window', () => {
    const throughput = chart(charts, 'throughput');
    expect(throughput.x).toEqual(figures.map((f) => f.x));
    expect(series(throughput, 'offered')).toEqual(figures.map((f) => f.offeredPerSecond));
    expect(series(throughput, 'ok')).toEqual(figures.map((f) => f.okPerSecond));
    expect(series(throughput, 'failed')).toEqual(figures.map((f) => f.failedPerSecond));
    expect(series(chart(charts, 'success'), 'success')).toEqual(figures.map((f) => f.success));
    const latency = chart(charts, 'latency');
    expect(series(latency, 'p99')).toEqual(figures.map((f) => f.p99));
    expect(latency.series.map((s) => s.label)).toEqual(['p50', 'p90', 'p99', 'max']);
  });

  it("draws the mock's queue on its own axis, and its routers only when it has some", () => {
    const mock = chart(charts, 'mock');
    expect(mock.series.map((s) => s.label)).toEqual(['busy', 'workers', 'routers ready', 'queued']);
    expect(mock.series.find((s) => s.label === 'queued')!.right).toBe(true);
    // Sampled state: a missed sample is drawn across, not left as a hole.
    for (const s of mock.series) expect(s.spanGaps).toBe(true);
    for (const c of charts.filter((c) => c.id !== 'mock')) for (const s of c.series) expect(s.spanGaps).toBeUndefined();
    const noRouters = { ...result, timeline: result.timeline.map((w) => (w.mock ? { ...w, mock: { ...w.mock, routersReady: null } } : w)) };
    expect(chart(runCharts(noRouters), 'mock').series.map((s) => s.label)).toEqual(['busy', 'workers', 'queued']);
  });

  it("draws each open-model phase's send lag flat across the phase", () => {
    const lag = chart(charts, 'send-lag');
    result.phases.forEach((p, i) => {
      expect(lag.x[2 * i]).toBe(p.startMs / 1000);
      expect(lag.x[2 * i + 1]).toBeCloseTo((p.startMs + p.durationMs) / 1000, 2);
      expect(series(lag, 'p99').slice(2 * i, 2 * i + 2)).toEqual([p.sendLagMs!.p99, p.sendLagMs!.p99]);
    });
    for (let i = 1; i < lag.x.length; i++) expect(lag.x[i]!).toBeGreaterThan(lag.x[i - 1]!);
  });

  it('plots the latency distribution of every phase and the total on the percentile grid', () => {
    const distribution = chart(charts, 'distribution');
    expect(distribution.kind).toBe('percentile');
    expect(distribution.series.map((s) => s.label)).toEqual(['warmup', 'surge', 'cooldown', 'total']);
    expect(distribution.series[1]!.values).toEqual(percentileCurve(result.phases[1]!.histograms.latency, result.phases[1]!.latencyMs!.max));
  });
});

describe('percentileCurve', () => {
  it('is a fixed grid from 0% to 99.999%, whatever the run', () => {
    const grid = percentileGrid();
    expect(grid).toHaveLength(POINTS_PER_DECADE * DECADES + 1);
    expect(percentileAt(grid[0]!)).toBe(0);
    expect(percentileAt(grid.at(-1)!)).toBeCloseTo(99.999, 9);
  });

  it("reads the phase's histogram: its p50, p90, p99 and p99.9 where the grid has them", () => {
    for (const phase of [...result.phases, result.total]) {
      const curve = percentileCurve(phase.histograms.latency, phase.latencyMs!.max);
      const summary = phase.latencyMs!;
      // 1 / (1 - q) is 10 at 90%, 100 at 99%, 1000 at 99.9%: grid points 12, 24 and 36.
      const at = (x: number): number | null => curve[percentileGrid().findIndex((g) => Math.abs(g - x) < 1e-9 * x)]!;
      expect(at(10)).toBe(summary.p90);
      expect(at(100)).toBe(summary.p99);
      expect(at(1000)).toBe(summary.p999);
      expect(curve[0]).toBe(summary.min);
      expect(curve.at(-1)).toBeLessThanOrEqual(summary.max);
      for (let i = 1; i < curve.length; i++) expect(curve[i]!).toBeGreaterThanOrEqual(curve[i - 1]!);
    }
  });

  it('is all gaps for an empty histogram', () => {
    const empty = result.timeline.find((w) => w.p50 === null);
    if (empty) expect(percentileCurve(empty.histogram).every((v) => v === null)).toBe(true);
  });
});

describe('compareCharts', () => {
  const fixed = simulateRun({ ...RAMP_WITH_FAILING_SURGE, name: 'fixed', shrink: undefined, routersDown: undefined, faults: [] });
  const charts = compareCharts([
    { label: 'A', result },
    { label: 'B', result: fixed },
  ]);

  it("overlays the runs on the same axes, one series per run, with the baseline's bands and faults", () => {
    expect(charts.map((c) => c.id)).toEqual(['compare-ok', 'compare-failed', 'compare-success', 'compare-p99', 'compare-queued', 'compare-distribution']);
    const ok = chart(charts, 'compare-ok');
    expect(ok.series.map((s) => s.label)).toEqual(['A checkout-surge', 'B fixed']);
    expect(ok.series[0]!.values).toEqual(windowFigures(result.timeline, result.phases).map((f) => f.okPerSecond));
    expect(ok.series[1]!.values).toEqual(windowFigures(fixed.timeline, fixed.phases).map((f) => f.okPerSecond));
    expect(ok.markers).toEqual(faultMarkers(result.faults));
    expect(ok.bands).toEqual(phaseBands(result.phases));
  });
});

describe('overlay', () => {
  it('joins runs on the union of their x, with gaps where a run has no window', () => {
    expect(
      overlay([
        { x: [1, 3, 5], values: [10, 30, 50] },
        { x: [1, 2, 3], values: [1, null, 3] },
      ]),
    ).toEqual({
      x: [1, 2, 3, 5],
      values: [
        [10, null, 30, 50],
        [1, null, 3, null],
      ],
    });
  });
});
