// A sweep's table and charts from a document of simulated results: a row per variant with each phase's
// success and p99 and the thresholds held; the failed thresholds named with their variant; rows of
// variants interrupted or not run; the table within the width; and the chart data (numbers spaced by value
// and sorted, words at their indexes, a line per value of a second key).
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/core/units.js';
import type { RunResult } from '../../src/result/run-result.js';
import { SWEEP_SCHEMA, type SweepDocument } from '../../src/result/sweep-document.js';
import { sweepCharts } from '../../src/report/html/data/sweep-charts.js';
import { renderSweepHtml } from '../../src/report/html/sweep-page.js';
import { formatPercent } from '../../src/report/text/figures.js';
import { renderSweep } from '../../src/report/text/sweep-table.js';
import { ANSI, cells, lines, widest } from './helpers.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from './run-fixture.js';

const run = (workers: number, interruptAt?: number): RunResult =>
  simulateRun({ ...RAMP_WITH_FAILING_SURGE, workers, shrink: undefined, ...(interruptAt ? { interruptAt } : {}) });

const TOOL = { name: 'incident-load', version: '0.0.0-test' };

function doc(results: (RunResult | null)[], values: number[] = [16, 4, 8]): SweepDocument {
  return {
    schema: SWEEP_SCHEMA,
    tool: TOOL,
    profile: 'checkout-surge',
    vary: [{ key: 'mock.fleet.workers', values }],
    variants: values.map((w, i) => ({ values: { 'mock.fleet.workers': w }, result: results[i] ?? null })),
  };
}

describe('the sweep table', () => {
  const results = [run(16), run(4), run(8)];
  const text = renderSweep(doc(results));

  it('a row per variant in the order given: its value, each phase success and p99, thresholds held', () => {
    const rows = lines(text).filter((l) => /^\s*(16|4|8)\s/.test(l));
    expect(rows.map((l) => cells(l)[0])).toEqual(['16', '4', '8']);
    for (const [i, line] of rows.entries()) {
      const r = results[i]!;
      const held = r.thresholds.filter((t) => t.ok).length;
      expect(cells(line)).toEqual([
        String([16, 4, 8][i]),
        ...r.phases.flatMap((p) => [formatPercent(p.successRatio), formatDuration(p.okLatencyMs!.p99)]),
        `${held}/${r.thresholds.length}`,
      ]);
    }
    expect(text).not.toMatch(ANSI);
  });

  it('names each failed threshold with its variant and what was measured', () => {
    const failed = results.flatMap((r, i) => r.thresholds.filter((t) => !t.ok).map((t) => `mock.fleet.workers=${[16, 4, 8][i]}: ${t.expr}`));
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(text).toContain(`FAIL ${f}  actual `);
  });

  it('marks a variant interrupted and one not run; fits the width by dropping the p99 columns', () => {
    const partial = renderSweep(doc([run(16), run(4, 200_000), null]), { color: false, width: 76 });
    expect(widest(partial)).toBeLessThanOrEqual(76);
    expect(partial).not.toMatch(/p99\n/);
    expect(lines(partial).find((l) => /^\s*4\s/.test(l))).toMatch(/interrupted at 3m20s$/);
    expect(lines(partial).find((l) => /^\s*8\s/.test(l))).toMatch(/^\s*8\s+-\s+-\s+-\s+-\s+not run$/);
  });
});

describe('the sweep charts', () => {
  it('numbers: sorted by value, spaced by value; a point per variant for each phase', () => {
    const results = [run(16), run(4), run(8)];
    const charts = sweepCharts(doc(results));
    expect(charts.map((c) => c.id)).toEqual(['sweep-success-0', 'sweep-p99-0', 'sweep-success-1', 'sweep-p99-1', 'sweep-success-2', 'sweep-p99-2']);
    const surge = charts[2]!;
    expect(surge.kind).toBe('sweep');
    expect(surge.xLabel).toBe('mock.fleet.workers');
    expect(surge.xTicks).toBeUndefined();
    expect(surge.x).toEqual([4, 8, 16]);
    expect(surge.series).toHaveLength(1);
    expect(surge.series[0]!.values).toEqual([results[1]!, results[2]!, results[0]!].map((r) => r.phases[1]!.successRatio));
  });

  it('words at their indexes, labelled; a line per value of the second key', () => {
    const r = run(8);
    const grid: SweepDocument = {
      schema: SWEEP_SCHEMA,
      tool: TOOL,
      profile: 'checkout-surge',
      vary: [
        { key: 'client.arrivals', values: ['uniform', 'poisson'] },
        { key: 'rate', values: [1, 2] },
      ],
      variants: [
        { values: { 'client.arrivals': 'uniform', rate: 1 }, result: r },
        { values: { 'client.arrivals': 'uniform', rate: 2 }, result: r },
        { values: { 'client.arrivals': 'poisson', rate: 1 }, result: r },
        { values: { 'client.arrivals': 'poisson', rate: 2 }, result: null },
      ],
    };
    const chart = sweepCharts(grid)[0]!;
    expect(chart.x).toEqual([0, 1]);
    expect(chart.xTicks).toEqual(['uniform', 'poisson']);
    expect(chart.series.map((s) => s.label)).toEqual(['rate=1', 'rate=2']);
    const success = r.phases[0]!.successRatio;
    expect(chart.series.map((s) => s.values)).toEqual([
      [success, success],
      [success, null],
    ]);
    // The page embeds them, and names every variant in its table.
    const html = renderSweepHtml(grid);
    expect(html).toContain('data-row="client.arrivals=poisson, rate=2"');
    expect(html).toContain('id="chart-sweep-success-0"');
  });
});
