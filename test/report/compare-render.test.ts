// The comparison as text: the header naming each run, the table with the differences marked (coloured
// better/worse only with colour on), the timelines one above the other, the thresholds shown, and the
// width respected for two, three and five runs.
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/core/units.js';
import type { RunResult } from '../../src/result/run-result.js';
import { buildComparison, type CompareInput, type Comparison } from '../../src/report/compare/comparison.js';
import type { SignificanceVerdict } from '../../src/report/compare/significance.js';
import { renderComparison } from '../../src/report/compare/render.js';
import { ANSI, cells, lines, widest } from './helpers.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun, type Scenario } from './run-fixture.js';

const FIXED: Scenario = { ...RAMP_WITH_FAILING_SURGE, name: 'checkout-surge-fixed', shrink: undefined, routersDown: undefined, faults: [] };
const failing = simulateRun(RAMP_WITH_FAILING_SURGE);
const fixed = simulateRun(FIXED);
const worse = simulateRun({ ...RAMP_WITH_FAILING_SURGE, name: 'checkout-surge-worse', workers: 5, shrink: { at: 120_000, workers: 3 } });

/**
 * The layout tests take every difference beyond the band as real: these fixtures ramp and break half way
 * through a phase, where the bootstrap rightly has too little to judge (its own tests are in
 * compare-significance.test.ts), and what is drawn for each verdict is tested below on its own.
 */
function comparisonOf(results: RunResult[], sources?: CompareInput['source'][]): Comparison {
  const inputs = results.map((result, i): CompareInput => ({ name: result.profile.name, source: sources?.[i] ?? { kind: 'ran' }, result }));
  return buildComparison(inputs);
}

function judgedAll(comparison: Comparison, verdict: SignificanceVerdict): Comparison {
  for (const row of comparison.rows)
    for (const cell of row.cells) for (const d of Object.values(cell.differences)) if (d.significance) d.significance.verdict = verdict;
  return comparison;
}

/**
 * The comparison of `results` with every difference judged real, built once per set of runs: building it
 * (the significance's resampling) costs far more than rendering it, and the layout tests render the same
 * runs at many widths. Rendering reads the comparison and never changes it.
 */
const judgedReal = new Map<string, Comparison>();
const runIds = new Map<RunResult, number>();
function comparisonJudgedReal(results: RunResult[], sources?: CompareInput['source'][]): Comparison {
  const id = (r: RunResult): number => runIds.get(r) ?? runIds.set(r, runIds.size).size - 1;
  const key = `${results.map(id).join(',')} ${JSON.stringify(sources ?? null)}`;
  let comparison = judgedReal.get(key);
  if (!comparison) judgedReal.set(key, (comparison = judgedAll(comparisonOf(results, sources), 'real')));
  return comparison;
}

function render(results: RunResult[], options = { color: false, width: 100 }, sources?: CompareInput['source'][]): string {
  return renderComparison(comparisonJudgedReal(results, sources), results, options);
}

/** The table rows under a phase in the one-line-per-run layout: run label -> cells after it (lines of differences under the values are skipped). */
function phaseRows(text: string, phase: string): Map<string, string[]> {
  const all = lines(text);
  const start = all.findIndex((l) => l.startsWith(`${phase} `));
  const rows = new Map<string, string[]>();
  for (let i = start; i < all.length; i++) {
    const line = all[i]!;
    if (i > start && !line.startsWith(' ')) break;
    const c = cells(i === start ? line.slice(phase.length) : line);
    if (/^[A-Z]+$/.test(c[0]!)) rows.set(c[0]!, c.slice(1));
  }
  return rows;
}

describe('compare report: header', () => {
  it('names each run: label, profile, source ("ran now" or the file), incident and wall time, speed, seed', () => {
    const text = render([failing, fixed], { color: false, width: 100 }, [{ kind: 'ran' }, { kind: 'file', path: 'results/fixed.json' }]);
    const head = lines(text).slice(0, 3);
    expect(head[0]).toBe('incident-load compare · 2 runs · differences against A');
    expect(cells(head[1]!)).toEqual(['A', 'checkout-surge', 'ran now', expect.stringMatching(/^10m in [\d.]+s wall · speed 60× · seed 7$/)]);
    expect(cells(head[2]!)).toEqual(['B', 'checkout-surge-fixed', 'results/fixed.json', expect.stringMatching(/^10m in [\d.]+s wall · speed 60× · seed 7$/)]);
    // The columns line up.
    expect(head[1]!.indexOf('ran now')).toBe(head[2]!.indexOf('results/'));
  });

  it('says which run was interrupted and which never ran, and warns when the seeds differ', () => {
    const cut = simulateRun({ ...RAMP_WITH_FAILING_SURGE, interruptAt: 330_000 });
    const other = simulateRun({ ...FIXED, seed: 8 });
    const inputs: CompareInput[] = [
      { name: cut.profile.name, source: { kind: 'ran' }, result: cut },
      { name: 'next-one', source: { kind: 'ran' }, result: undefined },
      { name: other.profile.name, source: { kind: 'file', path: 'o.json' }, result: other },
    ];
    const text = renderComparison(buildComparison(inputs), [cut, undefined, other], { color: false, width: 120 });
    expect(text).toContain('interrupted at 5m30s of 10m');
    expect(lines(text).find((l) => l.startsWith('B '))).toMatch(/next-one .*not run: compare was interrupted before its turn/);
    expect(text).toContain('seeds differ (7, 8)');
  });
});

describe('compare report: the table', () => {
  it('marks a difference beyond the band with an arrow only when it is real: ~ within noise, ? too little to judge', () => {
    const noise = renderComparison(judgedAll(comparisonOf([failing, fixed]), 'noise'), [failing, fixed], { color: true, width: 100 });
    const total = phaseRows(stripVTControlCharacters(noise), 'total').get('B')!;
    expect(total[0]).toMatch(/^\d+(\.\d+)?% \+\d+pp ~$/);
    expect(total.slice(0, 5).join(' ')).not.toMatch(/[▲▼]/);
    // Not painted better or worse: only dim.
    const row = noise.split('\n').find((l) => l.includes('+34pp ~'))!;
    expect(row).not.toContain('\x1b[32m');
    expect(row).not.toContain('\x1b[31m');
    const insufficient = renderComparison(judgedAll(comparisonOf([failing, fixed]), 'insufficient'), [failing, fixed], { color: false, width: 100 });
    expect(phaseRows(insufficient, 'total').get('B')![1]).toMatch(/×[\d.]+ \?$/);
    expect(insufficient.replace(/\s+/g, ' ')).toMatch(
      /within the runs' noise \(~\), there is too little to judge \(\?\) or one run a side cannot judge it \(↻/,
    );
    const repeats = renderComparison(judgedAll(comparisonOf([failing, fixed]), 'needs-repeats'), [failing, fixed], { color: false, width: 100 });
    expect(phaseRows(repeats, 'total').get('B')![3]).toMatch(/×[\d.]+ ↻$/);
  });

  it("shows each run per phase and in total, with the differences against A in the later runs' cells", () => {
    const text = render([failing, fixed]);
    for (const phase of ['warmup', 'surge', 'cooldown', 'total']) {
      const rows = phaseRows(text, phase);
      expect([...rows.keys()]).toEqual(['A', 'B']);
      // A: six plain figures; B: the same six with differences on the metrics.
      expect(rows.get('A')!.some((c) => /[▲▼×]|\dpp/.test(c))).toBe(false);
      expect(rows.get('B')![0]).toMatch(/^(\d+(\.\d+)?%|-) [+-][\d.]+pp( [▲▼])?$/);
    }
    const total = phaseRows(text, 'total');
    // The fixed run: success up, goodput up, p50 and p99 down, fewer attempts per request.
    expect(total.get('B')![0]).toMatch(/\+\d+pp ▲$/);
    expect(total.get('B')![1]).toMatch(/×[\d.]+ ▲$/);
    expect(total.get('B')![2]).toMatch(/×[\d.]+ ▼$/);
    expect(total.get('B')![3]).toMatch(/×[\d.]+ ▼$/);
    expect(total.get('B')![4]).toMatch(/×[\d.]+ ▼$/);
  });

  it('shows the top failure with its share of offered', () => {
    const surge = phaseRows(render([failing, fixed]), 'surge');
    const f = failing.phases[1]!;
    const top = Object.entries(f.errors)
      .concat(Object.entries(f.statuses).filter(([s]) => s !== '200'))
      .sort((a, b) => b[1] - a[1])[0]!;
    expect(surge.get('A')!.at(-1)).toMatch(new RegExp(`^${top[0]} [\\d.]+%$`));
    expect(
      phaseRows(render([failing, fixed]), 'warmup')
        .get('A')!
        .at(-1),
    ).toBe('-');
  });

  it('a phase a run does not have shows "—" in its cells', () => {
    const short = simulateRun({ ...FIXED, phases: RAMP_WITH_FAILING_SURGE.phases.slice(0, 2) });
    const rows = phaseRows(render([failing, short]), 'cooldown');
    expect(rows.get('B')).toEqual(['—', '—', '—', '—', '—', '—']);
    expect(rows.get('A')!.every((c) => c !== '—')).toBe(true);
  });

  it('colours a better difference green and a worse one red, only with colour on', () => {
    const better = render([failing, fixed], { color: true, width: 100 });
    const betterTotal = better.split('\n').find((l) => l.includes('pp') && l.includes('▲'))!;
    expect(betterTotal).toMatch(/\x1b\[32m\+\d+pp ▲\x1b\[39m/);
    const worseText = render([failing, worse], { color: true, width: 100 });
    expect(worseText).toMatch(/\x1b\[31m-\d+(\.\d)?pp ▼\x1b\[39m/);
    expect(worseText).toMatch(/\x1b\[31m×[\d.]+ ▲\x1b\[39m/); // p99 up: worse
  });

  it('has no escape sequences at all with colour off', () => {
    for (const width of [60, 80, 100, 160]) expect(render([failing, fixed, worse], { color: false, width })).not.toMatch(ANSI);
  });
});

describe('compare report: width and layout', () => {
  it('fits the width for two, three and five runs, in colour or not', () => {
    const five = [failing, fixed, worse, fixed, failing];
    for (const runs of [[failing, fixed], [failing, fixed, worse], five]) {
      for (const width of [60, 80, 100, 120, 160]) {
        for (const color of [false, true]) expect(widest(render(runs, { color, width }))).toBeLessThanOrEqual(width);
      }
    }
  });

  it('two runs at 100 columns: one line per run under each phase, differences beside their values', () => {
    const text = render([failing, fixed], { color: false, width: 100 });
    expect(lines(text).find((l) => l.startsWith('phase '))).toMatch(/^phase\s+run\s+success\s+goodput\s+p50\s+p99\s+attempts\s+top failure$/);
    expect(phaseRows(text, 'surge').get('B')).toHaveLength(6);
    // As in the run report, the latencies are the successes', and the legend says so.
    expect(phaseRows(text, 'surge').get('A')![3]).toBe(formatDuration(failing.phases[1]!.okLatencyMs!.p99));
    expect(lines(text).join(' ').replace(/\s+/g, ' ')).toContain("p50 and p99 are the successes' latencies");
  });

  it('with a request mix, a row per class under each phase and the total, the rule above the total only', () => {
    const withMix = (r: RunResult): RunResult => ({
      ...r,
      phases: r.phases.map((p) => ({ ...p, mix: [{ ...p, name: 'vip' }] })),
      total: { ...r.total, mix: [{ ...r.total, name: 'vip' }] },
    });
    for (const width of [100, 160]) {
      const all = lines(render([withMix(failing), withMix(fixed)], { color: false, width }));
      const at = (prefix: string): number => all.findIndex((l) => l.startsWith(prefix));
      expect(at('surge · vip ')).toBeGreaterThan(at('surge '));
      expect(all[at('total ') - 1]).toMatch(/^─+$/);
      expect(all.slice(at('total '), at('total · vip ') + 1).some((l) => /^─+$/.test(l))).toBe(false);
    }
    // The legend explains "—" in class rows only when there are class rows.
    const flat = (text: string): string => text.replace(/\s+/g, ' ');
    expect(flat(render([withMix(failing), withMix(fixed)], { color: false, width: 100 }))).toContain('(in a class row: no such class)');
    expect(flat(render([failing, fixed], { color: false, width: 100 }))).not.toContain('class');
  });

  it('two runs on a wide terminal: side by side, one group of columns per run', () => {
    const text = render([failing, fixed], { color: false, width: 160 });
    const head = lines(text).find((l) => /^phase\s+A\s+A/.test(l))!;
    expect(head.match(/\bA\b/g)).toHaveLength(6);
    expect(head.match(/\bB\b/g)).toHaveLength(6);
    const surge = lines(text).find((l) => l.startsWith('surge '))!;
    expect(surge).toContain('│');
    expect(surge.split('│')[1]).toMatch(/pp ▲/);
  });

  it('five runs at 100 columns stack: one line per run under each phase', () => {
    const text = render([failing, fixed, worse, fixed, failing], { color: false, width: 100 });
    const total = phaseRows(text, 'total');
    expect([...total.keys()]).toEqual(['A', 'B', 'C', 'D', 'E']);
    for (const row of total.values()) expect(row).toHaveLength(6);
    // E is A again: no arrow anywhere in its differences.
    const all = lines(text);
    const e = all.findIndex((l, i) => i > all.findIndex((x) => x.startsWith('total ')) && /^\s+E\s/.test(l));
    expect(all.slice(e, e + 2).join(' ')).not.toMatch(/[▲▼]/);
  });

  it('at 60 columns the differences go under their values and each phase gets a row of its own', () => {
    const text = render([failing, fixed], { color: false, width: 60 });
    const all = lines(text);
    const at = all.findIndex((l) => l === 'surge');
    expect(at).toBeGreaterThan(0);
    expect(all[at + 1]).toMatch(/^ {2}A\s/);
    expect(all[at + 2]).toMatch(/^ {2}B\s/);
    expect(all[at + 3]).toMatch(/^\s+\+\d+pp ▲\s+×[\d.]+ ▲/);
  });
});

describe('compare report: timelines and thresholds', () => {
  it("draws each run's timeline one above the other, titled, on the same axis and scales when the lengths match", () => {
    const text = render([failing, fixed], { color: false, width: 100 }, [{ kind: 'ran' }, { kind: 'file', path: 'b.json' }]);
    const all = lines(text);
    expect(text).toContain('timelines (one per run, on the same time axis and scales)');
    const a = all.indexOf('A  checkout-surge · ran now');
    const b = all.indexOf('B  checkout-surge-fixed · b.json');
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    const rowsOf = (from: number, label: string): string => all.slice(from).find((l) => l.startsWith(`${label} `))!;
    // Same axis: the phase rulers are identical. Same scales: each row's maximum is the larger of the two.
    expect(rowsOf(b, 'phases')).toBe(rowsOf(a, 'phases'));
    for (const label of ['ok/s', 'p99', 'queued', 'busy']) expect(rowsOf(a, label).split(' max ')[1]).toBe(rowsOf(b, label).split(' max ')[1]);
  });

  it('says when the runs differ in length and so each has its own time axis', () => {
    const short = simulateRun({ ...FIXED, phases: RAMP_WITH_FAILING_SURGE.phases.slice(0, 2) });
    expect(lines(render([failing, short])).join(' ')).toContain('the runs differ in length, so each has its own time axis');
  });

  it("shows each run's thresholds, and says they are not enforced", () => {
    const text = render([failing, fixed]);
    expect(text).toMatch(/thresholds \(each run's own, shown and not enforced: compare exits 0/);
    const at = lines(text).findIndex((l) => l.startsWith('thresholds '));
    const block = lines(text).slice(at + 1);
    expect(block[0]).toMatch(/^A {2}ok {3}p99 < 30s/);
    expect(block.find((l) => l.includes('success >= 95%'))).toMatch(/FAIL success >= 95%/);
    expect(block.filter((l) => l.startsWith('B '))).toHaveLength(1);
  });
});
