import { describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, recordMs } from '../../src/core/latency-histogram.js';
import { PhaseRecorder } from '../../src/record/phase-recorder.js';
import type { PhaseResult } from '../../src/result/run-result.js';
import { bucketEdges, GRIDS_US, latencyBuckets, MAX_ROWS, renderLatencyBars } from '../../src/report/text/latency-bars.js';
import { createStyle } from '../../src/report/text/style.js';
import { ANSI, lines, widest } from './helpers.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from './run-fixture.js';
import { outcomeOf } from '../support/recording.js';

const result = simulateRun(RAMP_WITH_FAILING_SURGE);
const plain = createStyle(false);

function phaseWith(name: string, latenciesMs: [number, number][]): PhaseResult {
  const phase = new PhaseRecorder({ name, model: 'open', startMs: 0, durationMs: 10_000 });
  for (const [ms, n] of latenciesMs)
    for (let i = 0; i < n; i++) {
      phase.recordOffered();
      phase.recordSent(0);
      phase.recordAttempt(false);
      phase.recordOutcome(outcomeOf(200), ms, ms);
    }
  return phase.result();
}

describe('latency buckets', () => {
  it('count every recorded request: the buckets add up to the histogram total, per phase and in total', () => {
    for (const phase of [...result.phases, result.total]) {
      const histogram = decodeHistogram(phase.histograms.latency);
      expect(histogram.totalCount).toBe(phase.ok + phase.failed);
      const l = phase.latencyMs!;
      const edges = bucketEdges(l.min * 1000, l.max * 1000);
      const sum = latencyBuckets(histogram, edges).reduce((acc, b) => acc + b.count, 0);
      expect(sum).toBe(histogram.totalCount);
    }
  });

  it('put known latencies in the 1-2-5 buckets they belong to', () => {
    const h = createHistogram();
    for (const [ms, n] of [
      [1.5, 10],
      [15, 30],
      [150, 5],
      [4000, 1],
    ] as const)
      for (let i = 0; i < n; i++) recordMs(h, ms);
    const edges = bucketEdges(1500, 4_000_000);
    expect(edges).toEqual([1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000]);
    const buckets = latencyBuckets(h, edges);
    expect(buckets.filter((b) => b.count > 0)).toEqual([
      { fromMs: 1, toMs: 2, count: 10 },
      { fromMs: 10, toMs: 20, count: 30 },
      { fromMs: 100, toMs: 200, count: 5 },
      { fromMs: 2000, toMs: 5000, count: 1 },
    ]);
  });

  it('use at most 12 rows, covering the smallest and the largest value, from the finest grid that fits', () => {
    for (const [minUs, maxUs] of [
      [1, 3_600_000_000],
      [0, 1_000_000],
      [2_500, 24_800_000],
      [700, 900],
      [30_000_000, 300_000_000],
      [1, 30 * 24 * 3_600_000_000],
    ] as const) {
      const edges = bucketEdges(minUs, maxUs);
      expect(edges.length - 1).toBeLessThanOrEqual(MAX_ROWS);
      expect(edges[0]).toBeLessThanOrEqual(minUs);
      expect(edges.at(-1)).toBeGreaterThan(maxUs);
      for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThan(edges[i - 1]!);
    }
    // 2.5ms..24.8s needs 13 rows of 1-2-5 buckets, so 1-3 buckets are used
    expect(bucketEdges(2_500, 24_800_000)).toEqual(GRIDS_US[1]!.filter((e) => e >= 1000 && e <= 30_000_000));
    // a single value: one bucket
    expect(bucketEdges(800, 800)).toEqual([500, 1000]);
    // latencies of zero (recorded as 0µs) fall in a first bucket that starts at 0
    expect(bucketEdges(0, 3)[0]).toBe(0);
  });
});

describe('latency bars', () => {
  it('draw a row per bucket with its range, a bar as long as its count, the count and the cumulative share', () => {
    const phase = phaseWith('steady', [
      [1.5, 10],
      [15, 40],
      [150, 20],
      [4000, 1],
    ]);
    const text = renderLatencyBars([phase], { color: false, width: 100 }, plain);
    const rows = lines(text).filter((l) => /^\S+–\S+/.test(l));
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual([
      '1ms–2ms',
      '2ms–5ms',
      '5ms–10ms',
      '10ms–20ms',
      '20ms–50ms',
      '50ms–100ms',
      '100ms–200ms',
      '200ms–500ms',
      '500ms–1s',
      '1s–2s',
      '2s–5s',
    ]);
    const parsed = rows.map((r) => {
      const m = /^\S+\s+([█▉▊▋▌▍▎▏]*)\s+(\d+)\s+(\S+)$/.exec(r)!;
      return { bar: [...m[1]!].length, count: Number(m[2]), cumulative: m[3] };
    });
    expect(parsed.map((p) => p.count)).toEqual([10, 0, 0, 40, 0, 0, 20, 0, 0, 0, 1]);
    expect(parsed.reduce((a, p) => a + p.count, 0)).toBe(71);
    // longer bar for a larger count; an empty bucket has none; a single request still shows
    expect(parsed[3]!.bar).toBeGreaterThan(parsed[6]!.bar);
    expect(parsed[6]!.bar).toBeGreaterThan(parsed[0]!.bar);
    expect(parsed[0]!.bar).toBeGreaterThan(0);
    expect(parsed[1]!.bar).toBe(0);
    expect(parsed[10]!.bar).toBeGreaterThan(0);
    expect(parsed[10]!.bar).toBeLessThanOrEqual(parsed[0]!.bar);
    expect(parsed.map((p) => p.cumulative)).toEqual(['14.1%', '14.1%', '14.1%', '70.4%', '70.4%', '70.4%', '98.6%', '98.6%', '98.6%', '98.6%', '100%']);
  });

  it('side by side, every phase on the same buckets; the counts of each add up to its completed requests', () => {
    const text = renderLatencyBars(result.phases, { color: false, width: 120 }, plain);
    const all = lines(text);
    expect(all[1]).toMatch(/warmup \(n=213\)\s+surge \(n=1504\)\s+cooldown \(n=347\)/);
    const rows = all.slice(2);
    expect(rows.length).toBeLessThanOrEqual(MAX_ROWS);
    const counts = result.phases.map(() => 0);
    for (const r of rows) {
      // each phase block is "bar count cumulative%"; empty blocks are blank
      const numbers = [...r.matchAll(/(\d+)\s+(<?[\d.]+%)/g)].map((m) => ({ count: Number(m[1]), at: m.index! }));
      const starts = all[1]!.match(/(warmup|surge|cooldown)/g)!.map((name) => all[1]!.indexOf(name));
      for (const n of numbers) {
        const block = starts.filter((s) => s <= n.at).length - 1;
        counts[block]! += n.count;
      }
    }
    expect(counts).toEqual(result.phases.map((p) => p.ok + p.failed));
    expect(widest(text)).toBeLessThanOrEqual(120);
  });

  it('stack the phases when they do not fit side by side, still within the width', () => {
    const phases = ['a', 'b', 'c'].map((name, i) =>
      phaseWith(name, [
        [10 * (i + 1), 5],
        [100, 3],
      ]),
    );
    const text = renderLatencyBars(phases, { color: false, width: 40 }, plain);
    expect(widest(text)).toBeLessThanOrEqual(40);
    for (const name of ['a', 'b', 'c']) expect(lines(text)).toContain(`${name} (n=8)`);
  });

  it('say so when nothing completed, for the run or for one phase', () => {
    const none = new PhaseRecorder({ name: 'blackout', model: 'open', startMs: 0, durationMs: 1000 }).result();
    expect(renderLatencyBars([none], { color: false, width: 80 }, plain)).toContain('no request completed');
    const text = renderLatencyBars([phaseWith('ok', [[5, 3]]), none], { color: false, width: 40 }, plain);
    expect(text).toMatch(/blackout \(n=0\)\nno request completed/);
  });

  it("are titled as every completed request's, failures included (the phase table's latencies are the successes')", () => {
    expect(lines(renderLatencyBars(result.phases, { color: false, width: 120 }, plain))[0]).toBe(
      'latency (every completed request, failures included: count per bucket, cumulative %)',
    );
  });

  it('no escape sequences without colour', () => {
    expect(renderLatencyBars(result.phases, { color: false, width: 100 }, plain)).not.toMatch(ANSI);
    expect(renderLatencyBars(result.phases, { color: true, width: 100 }, createStyle(true))).toMatch(ANSI);
  });
});

describe('latency bars for many phases', () => {
  it('draws one row per phase when more than three phases do not fit side by side', () => {
    const phases = Array.from({ length: 6 }, (_, i) => {
      const r = new PhaseRecorder({ name: `phase-${i}`, model: 'open', startMs: i * 1000, durationMs: 1000 });
      for (let k = 0; k < 100; k++) {
        r.recordOffered();
        r.recordSent(0);
        r.recordOutcome(outcomeOf(200), 10 ** (1 + (i % 4)) * (1 + (k % 3)), 1);
      }
      return r.result();
    });
    const text = renderLatencyBars(phases, { color: false, width: 100 }, plain);
    const rows = text.split('\n');
    // A title (which may wrap), a header of bucket edges, and exactly one line per phase.
    const phaseLines = rows.filter((l) => /^phase-\d/.test(l));
    expect(phaseLines).toHaveLength(6);
    expect(rows.slice(0, 2).join(' ')).toMatch(/^latency \(every completed request, failures included: each phase's share per bucket/);
    expect(rows.length).toBeLessThanOrEqual(6 + 3);
    for (const line of phaseLines) {
      expect(line).toMatch(/[▁▂▃▄▅▆▇█]/);
      expect(line).toMatch(/n=100$/);
      expect(line.length).toBeLessThanOrEqual(100);
    }
    // Wider, the percentiles fit after the bars too.
    const wide = renderLatencyBars(phases, { color: false, width: 130 }, plain)
      .split('\n')
      .filter((l) => /^phase-\d/.test(l));
    for (const line of wide) expect(line).toMatch(/n=100 {2}p50 \S+ {2}p99 \S+$/);
    // Phases with latencies a decade apart put their bars in different columns.
    const firstBar = (line: string): number => line.search(/[▁▂▃▄▅▆▇█]/);
    expect(firstBar(phaseLines[1]!)).toBeGreaterThan(firstBar(phaseLines[0]!));
  });
});
