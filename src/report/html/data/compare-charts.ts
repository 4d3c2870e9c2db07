// The charts of a comparison: the runs overlaid on the same axes, one colour per run (A, B, ...), with
// the baseline's phases as bands and its faults as markers: ok and failed per second, success, p99 per
// window, the mock's queue; then each run's whole-run latency distribution on one percentile plot.
import type { RunResult } from '../../../result/run-result.js';
import type { Chart, Series, Unit } from '../chart-data.js';
import { overlay } from './overlay.js';
import { percentileCurve, percentileGrid } from './percentiles.js';
import { faultMarkers, phaseBands, timeRange } from './time-axis.js';
import { windowFigures, type WindowFigures } from './windows.js';

export interface ComparedResult {
  label: string;
  result: RunResult;
}

export function compareCharts(runs: readonly ComparedResult[]): Chart[] {
  if (runs.length === 0) return [];
  const baseline = runs[0]!.result;
  const figures = runs.map((r) => windowFigures(r.result.timeline, r.result.phases));
  const xRange = timeRange(runs.map((r) => r.result));
  const time = (id: string, title: string, note: string, unit: Unit, value: (f: WindowFigures) => number | null, sampled = false): Chart => {
    const joined = overlay(figures.map((fs) => ({ x: fs.map((f) => f.x), values: fs.map(value) })));
    const series: Series[] = runs.map((r, i) => ({
      label: `${r.label} ${r.result.profile.name}`,
      colour: `run${i}`,
      values: joined.values[i]!,
      // Sampled state: a gap is a missed sample, drawn across.
      ...(sampled ? { spanGaps: true } : {}),
    }));
    return { id, title, note, kind: 'time', unit, x: joined.x, xRange, series, bands: phaseBands(baseline.phases), markers: faultMarkers(baseline.faults) };
  };
  const charts = [
    time('compare-ok', 'Successes per second', 'ok requests finishing in each window, per run', 'rate', (f) => f.okPerSecond),
    time('compare-failed', 'Failures per second', 'failed requests finishing in each window (dropped not included), per run', 'rate', (f) => f.failedPerSecond),
    time('compare-success', 'Success', 'ok ÷ (ok + failed + dropped) of what finished in each window, per run', 'ratio', (f) => f.success),
    time('compare-p99', 'p99 latency per window', 'of every request completed in the window, failures included, per run', 'ms', (f) => f.p99),
  ];
  if (figures.some((fs) => fs.some((f) => f.mock))) {
    charts.push(
      time(
        'compare-queued',
        "The mock's queue",
        "tasks waiting in the bundled mock's queue, sampled once per window, per run",
        'count',
        (f) => f.mock?.queued ?? null,
        true,
      ),
    );
  }
  charts.push({
    id: 'compare-distribution',
    title: 'Latency distribution, whole run',
    note: 'HDR percentile plot of every completed request (failures included), per run; percentile on a log scale',
    kind: 'percentile',
    unit: 'ms',
    x: percentileGrid(),
    xRange: [1, percentileGrid().at(-1)!],
    series: runs.map((r, i) => ({
      label: `${r.label} ${r.result.profile.name}`,
      colour: `run${i}`,
      values: percentileCurve(r.result.total.histograms.latency, r.result.total.latencyMs?.max),
    })),
    bands: [],
    markers: [],
  });
  return charts;
}
