import { describe, expect, it } from 'vitest';
import { outcomeRows, renderOutcomes } from '../../src/report/text/outcomes.js';
import { formatPercent } from '../../src/report/text/figures.js';
import { createStyle } from '../../src/report/text/style.js';
import { ANSI, cells, lines, widest } from './helpers.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from './run-fixture.js';

const result = simulateRun(RAMP_WITH_FAILING_SURGE);
const interrupted = simulateRun({ ...RAMP_WITH_FAILING_SURGE, interruptAt: 330_000 });
const plain = createStyle(false);

describe('outcome rows', () => {
  it('list statuses in order, then error kinds with dropped among them; per phase they add up to what was offered', () => {
    const rows = outcomeRows(result.phases, result.total);
    expect(rows.map((r) => r.outcome)).toEqual(['200', '503', '504', 'dropped']);
    expect(rows.find((r) => r.outcome === 'dropped')!.counts).toEqual([...result.phases.map((p) => p.dropped), result.total.dropped]);
    [...result.phases, result.total].forEach((p, i) => {
      expect(rows.reduce((sum, r) => sum + r.counts[i]!, 0)).toBe(p.offered);
    });
  });

  it('count requests still in flight when an interrupted run stopped, so the shares still add up', () => {
    const rows = outcomeRows(interrupted.phases, interrupted.total);
    const unfinished = rows.find((r) => r.outcome === 'unfinished')!;
    expect(unfinished.counts.at(-1)).toBe(interrupted.total.unfinished);
    expect(interrupted.total.unfinished).toBeGreaterThan(0);
    [...interrupted.phases, interrupted.total].forEach((p, i) => {
      expect(rows.reduce((sum, r) => sum + r.counts[i]!, 0)).toBe(p.offered);
    });
  });
});

describe('outcomes table', () => {
  it('shows each count with its share of the phase offered', () => {
    const text = renderOutcomes(result.phases, result.total, { color: false, width: 100 }, plain);
    const surge = result.phases[1]!;
    const dropped = lines(text)
      .find((l) => l.startsWith('dropped'))!
      .split(/\s+/);
    expect(dropped).toEqual([
      'dropped',
      '0',
      String(surge.dropped),
      formatPercent(surge.dropped / surge.offered),
      '0',
      String(result.total.dropped),
      formatPercent(result.total.dropped / result.total.offered),
    ]);
    expect(formatPercent(surge.dropped / surge.offered)).toBe('28.7%');
    const ok = cells(lines(text).find((l) => l.startsWith('200'))!);
    expect(ok.slice(0, 3)).toEqual(['200 OK', '213', '100%']);
    expect(lines(text).find((l) => l.startsWith('503'))).toContain('Service Unavailable');
    expect(lines(text)[1]).toMatch(/^outcome\s+warmup\s+surge\s+cooldown\s+total$/);
  });

  it('narrows: short labels and counts only, then the total alone', () => {
    for (const width of [60, 50, 40, 30])
      expect(widest(renderOutcomes(result.phases, result.total, { color: false, width }, plain))).toBeLessThanOrEqual(width);
    const narrow = renderOutcomes(result.phases, result.total, { color: false, width: 30 }, plain);
    expect(lines(narrow).find((l) => /^outcome\s/.test(l))).toMatch(/^outcome\s+total$/);
  });

  it('says when nothing was offered; no escapes without colour', () => {
    const empty = { ...result.total, statuses: {}, errors: {}, unfinished: 0, offered: 0 };
    expect(renderOutcomes([], empty, { color: false, width: 80 }, plain)).toContain('nothing was offered');
    expect(renderOutcomes(result.phases, result.total, { color: false, width: 100 }, plain)).not.toMatch(ANSI);
  });
});
