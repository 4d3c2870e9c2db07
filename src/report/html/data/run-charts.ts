// The charts of one run: on one time axis, with its phases as bands and its faults as markers, what was
// offered against what succeeded and failed each second, the share that succeeded, the latency
// percentiles of each window, the bundled mock's state, and the send lag; then each phase's latency
// distribution as an HDR percentile plot.
import type { RunResult } from '../../../result/run-result.js';
import type { Chart, Series } from '../chart-data.js';
import { percentileCurve, percentileGrid } from './percentiles.js';
import { faultMarkers, phaseBands, timeRange } from './time-axis.js';
import { windowFigures, type WindowFigures } from './windows.js';

export function runCharts(result: RunResult): Chart[] {
  const figures = windowFigures(result.timeline, result.phases);
  const base = {
    kind: 'time' as const,
    x: figures.map((f) => f.x),
    xRange: timeRange([result]),
    bands: phaseBands(result.phases),
    markers: faultMarkers(result.faults),
  };
  const pick = (value: (f: WindowFigures) => number | null): (number | null)[] => figures.map(value);
  const charts: Chart[] = [
    {
      ...base,
      id: 'throughput',
      title: 'Requests per second',
      note: 'offered: arrivals intended in each window; ok and failed: requests that finished in it (a backlog shows as offered now, failed later)',
      unit: 'rate',
      series: [
        { label: 'offered', colour: 'offered', values: pick((f) => f.offeredPerSecond), dash: true },
        { label: 'ok', colour: 'ok', values: pick((f) => f.okPerSecond) },
        { label: 'failed', colour: 'failed', values: pick((f) => f.failedPerSecond) },
        ...(figures.some((f) => f.droppedPerSecond > 0) ? [{ label: 'dropped', colour: 'dropped' as const, values: pick((f) => f.droppedPerSecond) }] : []),
      ],
    },
    {
      ...base,
      id: 'success',
      title: 'Success',
      note: 'ok ÷ (ok + failed + dropped) of what finished in each window; a gap where nothing finished',
      unit: 'ratio',
      series: [{ label: 'success', colour: 'ok', values: pick((f) => f.success) }],
    },
    {
      ...base,
      id: 'latency',
      title: 'Latency per window',
      note: 'percentiles of every request that completed in the window, failures included, from its histogram',
      unit: 'ms',
      series: [
        { label: 'p50', colour: 'p50', values: pick((f) => f.p50) },
        { label: 'p90', colour: 'p90', values: pick((f) => f.p90) },
        { label: 'p99', colour: 'p99', values: pick((f) => f.p99) },
        { label: 'max', colour: 'max', values: pick((f) => f.max), dash: true },
      ],
    },
  ];
  const mock = mockChart(figures, base);
  if (mock) charts.push(mock);
  const lag = sendLagChart(result, base);
  if (lag) charts.push(lag);
  charts.push(distributionChart(result));
  return charts;
}

type TimeBase = Pick<Chart, 'kind' | 'x' | 'xRange' | 'bands' | 'markers'>;

function mockChart(figures: readonly WindowFigures[], base: TimeBase): Chart | undefined {
  if (!figures.some((f) => f.mock)) return undefined;
  const gauge = (value: (m: NonNullable<WindowFigures['mock']>) => number | null): (number | null)[] => figures.map((f) => (f.mock ? value(f.mock) : null));
  const series: Series[] = [
    { label: 'busy', colour: 'busy', values: gauge((m) => m.busy), spanGaps: true },
    { label: 'workers', colour: 'workers', values: gauge((m) => m.workers), dash: true, spanGaps: true },
  ];
  // A mock without routers (null, or none ready all along) has no routers to show.
  const routers = gauge((m) => m.routersReady);
  if (routers.some((r) => r !== null && r > 0)) series.push({ label: 'routers ready', colour: 'routers', values: routers, spanGaps: true });
  series.push({ label: 'queued', colour: 'queued', values: gauge((m) => m.queued), right: true, spanGaps: true });
  return {
    ...base,
    id: 'mock',
    title: 'The bundled mock',
    note: "its state sampled once per window: busy workers, the fleet's size and ready routers (left), tasks waiting in its queue (right)",
    unit: 'count',
    rightUnit: 'count',
    series,
  };
}

/**
 * The timeline windows keep no send lag, so this is each open-model phase's own (its histogram's p50 and
 * p99), drawn flat across the phase: a generator that fell behind shows in the phase it fell behind in.
 */
function sendLagChart(result: RunResult, base: TimeBase): Chart | undefined {
  const phases = result.phases.filter((p) => p.sendLagMs !== null && p.durationMs > 0);
  if (phases.length === 0) return undefined;
  const x: number[] = [];
  const p50: (number | null)[] = [];
  const p99: (number | null)[] = [];
  let previousEnd = -1;
  for (const p of phases) {
    const from = p.startMs / 1000;
    const to = (p.startMs + p.durationMs) / 1000;
    // A gap between phases (a closed-model phase between) is a gap in the line.
    if (previousEnd >= 0 && from > previousEnd) {
      x.push((previousEnd + from) / 2);
      p50.push(null);
      p99.push(null);
    }
    // The end point sits a hair before the next phase's start, so x keeps increasing.
    const end = Math.max(from, to - Math.min(0.001, (to - from) / 2));
    x.push(from, end);
    p50.push(p.sendLagMs!.p50, p.sendLagMs!.p50);
    p99.push(p.sendLagMs!.p99, p.sendLagMs!.p99);
    previousEnd = to;
  }
  return {
    ...base,
    x,
    id: 'send-lag',
    title: 'Send lag',
    note: "how late first attempts went out (actual minus intended send) in each open-model phase, from the phase's histogram: the windows keep none",
    unit: 'ms',
    series: [
      { label: 'p50', colour: 'p50', values: p50 },
      { label: 'p99', colour: 'p99', values: p99 },
    ],
  };
}

function distributionChart(result: RunResult): Chart {
  const scopes = result.phases.length > 1 ? [...result.phases, result.total] : result.phases.length === 1 ? result.phases : [result.total];
  return {
    id: 'distribution',
    title: 'Latency distribution per phase',
    note: 'HDR percentile plot of every completed request (failures included), from each phase’s histogram; percentile on a log scale',
    kind: 'percentile',
    unit: 'ms',
    x: percentileGrid(),
    xRange: [1, percentileGrid().at(-1)!],
    series: scopes.map((p, i) => ({
      label: p === result.total ? 'total' : p.name,
      colour: `run${i}`,
      values: percentileCurve(p.histograms.latency, p.latencyMs?.max),
      ...(p === result.total ? { dash: true } : {}),
    })),
    bands: [],
    markers: [],
  };
}
