import { describe, expect, it } from 'vitest';
import { checkThresholdPhases, parseThreshold, parseThresholds, ThresholdError } from '../../src/threshold/parse.js';

describe('parseThreshold: what it accepts', () => {
  it.each([
    // latency metrics need a unit; the value is incident ms
    ['p99<300ms', { phase: undefined, metric: 'p99', op: '<', value: 300, unit: 'ms' }],
    ['p99 < 300ms', { metric: 'p99', op: '<', value: 300 }],
    ['  p50<=1.5s  ', { metric: 'p50', op: '<=', value: 1500 }],
    ['p90 > 250us', { metric: 'p90', op: '>', value: 0.25 }],
    ['p95>=2m', { metric: 'p95', op: '>=', value: 120_000 }],
    ['p999 < 1h', { metric: 'p999', op: '<', value: 3_600_000 }],
    ['p99.9 < 5s', { metric: 'p999', value: 5000 }],
    ['max != 1h30m', { metric: 'max', op: '!=', value: 5_400_000 }],
    ['mean == 20ms', { metric: 'mean', op: '==', value: 20 }],
    ['P99 < 1s', { metric: 'p99', value: 1000 }],
    ['p99 < 300 ms', { metric: 'p99', value: 300 }],
    // the same statistics of every completed request (failures included), and of the send lag
    ['all.p99 < 1s', { metric: 'all.p99', op: '<', value: 1000, unit: 'ms' }],
    ['all.mean<=250ms', { metric: 'all.mean', value: 250 }],
    ['ALL.P99.9 < 2s', { metric: 'all.p999', value: 2000 }],
    ['lag.p99 < 10ms', { metric: 'lag.p99', op: '<', value: 10, unit: 'ms' }],
    ['lag.p99.9<50ms', { metric: 'lag.p999', value: 50 }],
    ['lag.max < 1s', { metric: 'lag.max', value: 1000 }],
    // scoped to a phase
    ['surge: p99 < 90s', { phase: 'surge', metric: 'p99', op: '<', value: 90_000 }],
    ['surge:p99<90s', { phase: 'surge', metric: 'p99', value: 90_000 }],
    ['warm-up_2.b : success >= 0.9', { phase: 'warm-up_2.b', metric: 'success', value: 0.9 }],
    // scoped to a class of the request mix, in the whole run or in a phase
    ['@priority: success >= 99%', { phase: undefined, cls: 'priority', metric: 'success', value: 0.99 }],
    ['surge@priority: p99 < 2s', { phase: 'surge', cls: 'priority', metric: 'p99', value: 2000 }],
    ['surge @ batch-2 : errors < 50%', { phase: 'surge', cls: 'batch-2', metric: 'errors', value: 0.5 }],
    ['surge@priority: all.p99 < 5s', { phase: 'surge', cls: 'priority', metric: 'all.p99', value: 5000 }],
    ['surge: lag.p99 < 10ms', { phase: 'surge', metric: 'lag.p99', value: 10 }],
    // ratios: 0..1 or a percentage
    ['success >= 0.5', { metric: 'success', op: '>=', value: 0.5, unit: 'ratio' }],
    ['success>=95%', { metric: 'success', value: 0.95, unit: 'ratio' }],
    ['success >= 99.9 %', { metric: 'success', value: 0.999 }],
    ['success == 100%', { metric: 'success', op: '==', value: 1 }],
    ['errors == 0', { metric: 'errors', op: '==', value: 0, unit: 'ratio' }],
    ['errors < 0.01', { metric: 'errors', op: '<', value: 0.01, unit: 'ratio' }],
    ['success >= 0.999', { metric: 'success', value: 0.999 }],
    ['errors < 1%', { metric: 'errors', op: '<', value: 0.01, unit: 'ratio' }],
    ['errors <= .05', { metric: 'errors', value: 0.05 }],
    // rates
    ['rps >= 100', { metric: 'rps', op: '>=', value: 100, unit: 'per-second' }],
    ['rps>=100/s', { metric: 'rps', value: 100 }],
    ['rps > 600/m', { metric: 'rps', value: 10 }],
    // dropped: a count, or a share of offered
    ['dropped == 0', { metric: 'dropped', op: '==', value: 0, unit: 'count' }],
    ['dropped <= 25', { metric: 'dropped', value: 25, unit: 'count' }],
    ['dropped < 1%', { metric: 'dropped', value: 0.01, unit: 'ratio' }],
  ])('%s', (expr, expected) => {
    expect(parseThreshold(expr)).toMatchObject({ expr: expr.trim(), ...expected });
  });
});

describe('parseThreshold: what it rejects, quoting the expression and saying what was expected', () => {
  it.each([
    ['', /threshold "": expected \[phase\]\[@class:\]metric op value/],
    ['   ', /expected \[phase\]\[@class:\]metric op value/],
    ['@: success > 0.5', /threshold "@: success > 0.5": expected a class name .* after "@", got ""/],
    ['surge@a b: p99 < 1s', /expected a class name .* after "@", got "a b"/],
    [
      'p98 < 1s',
      /threshold "p98 < 1s": unknown metric "p98": expected one of p50, p90, p95, p99, p999, max, mean \(of successes\), the same after "all\." \(every completed request\) or "lag\." \(send lag\), success, errors, rps, dropped$/,
    ],
    ['all.p98 < 1s', /unknown metric "all\.p98"/],
    ['lag.success > 0.5', /unknown metric "lag\.success"/],
    ['ok.p99 < 1s', /unknown metric "ok\.p99"/],
    ['lag.p99 < 10', /a latency needs a unit/],
    ['latency < 1s', /unknown metric "latency"/],
    ['p99 < fast', /threshold "p99 < fast": expected a latency with a unit such as 300ms.*got "fast"/],
    ['p99 < 300', /threshold "p99 < 300": a latency needs a unit: expected a latency with a unit such as 300ms/],
    ['p99 < 0', /a latency needs a unit/],
    ['p99 <', /expected a latency with a unit such as 300ms/],
    ['p99 < -5ms', /expected a latency .*got "-5ms"/],
    ['p99 < 300ms and', /expected a latency .*got "300ms and"/],
    ['p99 300ms', /expected an operator \(< <= > >= == !=\) after "p99"/],
    ['p99', /expected an operator/],
    ['p99 = 1s', /unknown operator "=".*use == to compare/],
    ['p99 => 1s', /unknown operator "=>"/],
    ['p99 <> 1s', /unknown operator "<>"/],
    ['success >= 101', /expected a percentage such as 95% or a ratio below 1 such as 0.95, got "101"/],
    ['success >= 101%', /expected a percentage such as 95% or a ratio below 1/],
    ['success >= -0.1', /expected a percentage such as 95% or a ratio below 1/],
    ['success >= high', /expected a percentage such as 95% or a ratio below 1/],
    ['errors < 200%', /expected a percentage such as 95% or a ratio below 1/],
    ['rps >= lots', /expected a rate such as 100 or 100\/s, got "lots"/],
    ['rps >= -5', /expected a rate/],
    ['dropped < 2.5', /expected a count such as 0 or a share of offered such as 1%, got "2.5"/],
    ['dropped < 200%', /expected a count such as 0 or a share of offered/],
    [': p99 < 1s', /expected a phase name before ":"/],
    ['my phase: p99 < 1s', /expected a phase name .*got "my phase"/],
    ['surge: < 1s', /expected \[phase\]\[@class:\]metric op value/],
    ['< 1s', /expected \[phase\]\[@class:\]metric op value/],
  ])('%j', (expr, message) => {
    expect(() => parseThreshold(expr)).toThrow(message);
    expect(() => parseThreshold(expr)).toThrow(ThresholdError);
  });
});

describe('parseThreshold: a bare number from 1 to 100 where a ratio or a percentage is meant is ambiguous', () => {
  it.each([
    // Read as a ratio, "errors < 1" holds at anything short of total failure: refused, both readings shown.
    [
      'errors < 1',
      'threshold "errors < 1": a bare 1 is ambiguous: write "errors < 1%" for 1 percent (the ratio 0.01), or "errors < 100%" for the ratio 1 (every request); a bare number is a ratio only below 1, such as 0.01',
    ],
    ['errors<1', 'write "errors<1%" for 1 percent (the ratio 0.01), or "errors<100%" for the ratio 1'],
    ['success == 1.0', 'write "success == 1.0%" for 1.0 percent (the ratio 0.01), or "success == 100%" for the ratio 1'],
    ['surge@api: success == 1', 'write "surge@api: success == 1%" for 1 percent (the ratio 0.01), or "surge@api: success == 100%"'],
    [
      'success >= 95',
      'threshold "success >= 95": a bare 95 is ambiguous: write "success >= 95%" for 95 percent (the ratio 0.95); read as a ratio it would be 9500%, more than every request; a bare number is a ratio only below 1, such as 0.95',
    ],
    ['errors < 2.5', 'write "errors < 2.5%" for 2.5 percent (the ratio 0.025); read as a ratio it would be 250%'],
    ['success >= 99.9', 'write "success >= 99.9%" for 99.9 percent (the ratio 0.999)'],
  ])('%j', (expr, message) => {
    expect(() => parseThreshold(expr)).toThrow(message);
    expect(() => parseThreshold(expr)).toThrow(ThresholdError);
  });

  it('leaves counts alone: a bare number for dropped is a count', () => {
    expect(parseThreshold('dropped < 1')).toMatchObject({ value: 1, unit: 'count' });
  });
});

describe('parseThresholds', () => {
  it('parses a list', () => {
    expect(parseThresholds(['p99<1s', 'success>=0.9']).map((t) => t.metric)).toEqual(['p99', 'success']);
  });

  it('reports every bad expression at once', () => {
    expect(() => parseThresholds(['p98<1s', 'p99<1s', 'p99<fast'])).toThrow(/"p98<1s": unknown metric.*; threshold "p99<fast": expected a latency/);
  });
});

describe('checkThresholdPhases', () => {
  const thresholds = parseThresholds(['p99<1s', 'surge: p99 < 90s', 'cooldown: success >= 0.9']);

  it('accepts thresholds whose phases exist (and unscoped ones)', () => {
    expect(() => checkThresholdPhases(thresholds, ['warmup', 'surge', 'cooldown'])).not.toThrow();
  });

  it('names the missing phase and lists the ones there are', () => {
    expect(() => checkThresholdPhases(thresholds, ['warmup', 'surge'])).toThrow(
      'threshold "cooldown: success >= 0.9": no phase "cooldown" in this run: expected one of warmup, surge',
    );
  });

  it('phase names are case-sensitive, as everywhere else', () => {
    expect(() => checkThresholdPhases(parseThresholds(['Surge: p99<1s']), ['surge'])).toThrow(/no phase "Surge"/);
  });

  it('a class of the request mix must exist too', () => {
    const scoped = parseThresholds(['@priority: success >= 0.99', 'surge@priority: p99 < 1s']);
    expect(() => checkThresholdPhases(scoped, ['surge'], ['priority', 'standard'])).not.toThrow();
    expect(() => checkThresholdPhases(scoped, ['surge'], ['standard'])).toThrow(
      'threshold "@priority: success >= 0.99": no class "priority" in this run: expected one of standard',
    );
    expect(() => checkThresholdPhases(scoped, ['surge'])).toThrow(/no class "priority" in this run: the run has no request mix/);
  });
});
