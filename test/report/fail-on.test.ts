// compare --fail-on's rules on their own: what they read, what they refuse (with what was expected), and
// that a rule breaks only where a difference is beyond its margin the worse way and judged real.
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/report/compare/comparison.js';
import type { Difference } from '../../src/report/compare/difference.js';
import { checkFailOnPhases, judgeFailOn, parseFailOn } from '../../src/report/compare/fail-on.js';
import type { SignificanceVerdict } from '../../src/report/compare/significance.js';

describe('parseFailOn', () => {
  it.each([
    ['p99 +10%', { metric: 'p99', margin: 0.1 }],
    ['p50+20%', { metric: 'p50', margin: 0.2 }],
    ['success -1pp', { metric: 'success', margin: -1 }],
    ['goodput -5%', { metric: 'goodput', margin: -0.05 }],
    ['attempts +10%', { metric: 'amplification', margin: 0.1 }],
    ['checkout: p99 +2.5%', { phase: 'checkout', metric: 'p99', margin: 0.025 }],
  ])('reads %s', (text, rule) => {
    expect(parseFailOn(text)).toEqual({ text, ...rule });
  });

  it.each([
    ['p99 10%', /expected a rule such as/],
    ['p99 -10%', /p99 gets worse as it rises: expected \+10%/],
    ['success +1pp', /success gets worse as it falls: expected -1pp/],
    ['success -1%', /percentage points/],
    ['p99 +10pp', /moves as a ratio/],
    ['goodput -100%', /not possible/],
    ['latency +5%', /unknown metric "latency"/],
    ['', /expected a rule/],
  ])('refuses %j, saying what it expected', (text, message) => {
    expect(() => parseFailOn(text)).toThrow(message);
  });

  it('refuses a phase none of the runs has, listing the ones they have', () => {
    expect(() => checkFailOnPhases([parseFailOn('nope: p99 +10%')], ['warm', 'busy'])).toThrow(
      /no phase "nope" in the runs \(phases: warm, busy; "total:" for the whole run\)/,
    );
    // "total:" is the whole run, whatever the phases are called.
    expect(() => checkFailOnPhases([parseFailOn('total: success -1pp')], ['warm', 'busy'])).not.toThrow();
    expect(() => checkFailOnPhases([parseFailOn('busy: p99 +10%'), parseFailOn('p50 +10%')], ['warm', 'busy'])).not.toThrow();
  });
});

/** A comparison of A and B over one phase and the total, B's p99 and success differences given. */
function comparison(p99: number, successPoints: number, verdict: SignificanceVerdict): Comparison {
  const difference = (kind: 'points' | 'ratio', value: number, worse: boolean): Difference => ({
    kind,
    value,
    direction: value === (kind === 'points' ? 0 : 1) ? 'same' : value > (kind === 'points' ? 0 : 1) ? 'up' : 'down',
    verdict: worse ? 'worse' : 'better',
    significance: {
      verdict,
      confidence: 0.95,
      interval: verdict === 'insufficient' || verdict === 'needs-repeats' ? null : [0, 0],
      method: 'block-bootstrap',
      resamples: 1000,
      windows: [40, 40],
    },
  });
  const figures = { offered: 100, success: 1, goodput: 10, p50: 10, p99: 100, allP50: 10, allP99: 100, amplification: 1, topFailure: null };
  const cells = [
    { run: 'A', figures, differences: {} },
    { run: 'B', figures, differences: { p99: difference('ratio', p99, p99 > 1), success: difference('points', successPoints, successPoints < 0) } },
  ];
  return {
    baseline: 'A',
    runs: [],
    rows: [
      { phase: 'busy', total: false, cells },
      { phase: 'total', total: true, cells },
    ],
  };
}

describe('judgeFailOn', () => {
  it('breaks a rule only beyond its margin the worse way and real', () => {
    const broken = (p99: number, verdict: SignificanceVerdict): boolean[] =>
      judgeFailOn(comparison(p99, 0, verdict), [parseFailOn('busy: p99 +10%')]).map((c) => c.broken);
    expect(broken(1.2, 'real')).toEqual([true]);
    expect(broken(1.2, 'noise')).toEqual([false]);
    expect(broken(1.2, 'insufficient')).toEqual([false]);
    expect(broken(1.05, 'real')).toEqual([false]); // real, but within the margin
    expect(broken(0.5, 'real')).toEqual([false]); // real, and better
    const [check] = judgeFailOn(comparison(1.2, 0, 'noise'), [parseFailOn('busy: p99 +10%')]);
    expect(check!.message).toBe("B busy: p99 ×1.2 against A (margin +10%), within the runs' noise: beyond the margin but not judged real, so not broken");
    expect(check!.unjudged).toBe(false);
  });

  it('says when one run a side could not judge a rule beyond its margin: not broken, but unjudged', () => {
    const [check] = judgeFailOn(comparison(1.5, 0, 'needs-repeats'), [parseFailOn('busy: p99 +10%')]);
    expect(check).toMatchObject({ broken: false, beyond: true, unjudged: true });
    expect(check!.message).toMatch(/one run a side cannot judge p99 \(compare --repeat 3 can\)/);
    const [within] = judgeFailOn(comparison(1.02, 0, 'needs-repeats'), [parseFailOn('busy: p99 +10%')]);
    expect(within!.unjudged).toBe(false);
  });

  it('"total:" checks the total row alone', () => {
    const checks = judgeFailOn(comparison(1, -3, 'real'), [parseFailOn('total: success -1pp')]);
    expect(checks.map((c) => `${c.phase} ${c.broken}`)).toEqual(['total true']);
  });

  it('without a phase, checks every phase and the total; success in points', () => {
    const checks = judgeFailOn(comparison(1, -3, 'real'), [parseFailOn('success -1pp'), parseFailOn('success -5pp')]);
    expect(checks.map((c) => `${c.rule} ${c.phase} ${c.broken}`)).toEqual([
      'success -1pp busy true',
      'success -1pp total true',
      'success -5pp busy false',
      'success -5pp total false',
    ]);
  });
});
