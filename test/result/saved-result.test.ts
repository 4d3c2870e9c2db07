// A saved result read back by compare: damaged parts — in structure or in meaning — are bad input (a
// UsageError naming the file and the part, exit 2), never a TypeError or a NaN half-way through the report.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { toSavedResult } from '../../src/result/saved-result.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from '../report/run-fixture.js';

const good = simulateRun(RAMP_WITH_FAILING_SURGE);
const withMix = { ...good, total: { ...good.total, mix: [{ ...good.total, name: 'vip' }] } };
const read = (value: unknown): unknown => toSavedResult(JSON.parse(JSON.stringify(value)), 'r.json');
const phase0 = good.phases[0]!;
const shardInfo = { run: 'abcdef12', index: 1, count: 4, requestedStart: '2026-12-01T00:00:00.000Z', actualStart: '2026-12-01T00:00:00.001Z', startSkewMs: 1 };

describe('toSavedResult', () => {
  it('accepts a result as ramp --json writes it, with or without a request mix', () => {
    expect(read(good)).toEqual(good);
    expect(read(withMix)).toEqual(withMix);
  });

  it('keeps what a segment and a failed run add: the shard, the failure', () => {
    const segment = { ...good, shard: shardInfo, failure: { kind: 'worker-exited', atMs: 1200, message: 'worker 2 exited' } };
    expect(read(segment)).toEqual(segment);
  });

  it('refuses a result written before the histograms, saying to run it again', () => {
    expect(() => read({ ...good, schema: 'incident-load/result@1' })).toThrow(/older incident-load.*run the profile again/);
  });

  it('reads a threshold with nothing to measure (actual NaN, written as null) back as NaN', () => {
    const noData = { ...good, thresholds: [{ expr: 'p99 < 1s', ok: false, actual: NaN }] };
    expect((read(noData) as typeof good).thresholds[0]!.actual).toBeNaN();
  });

  it.each([
    ['a phase that is not an object', { ...good, phases: [1] }, /r\.json: .*phases\[0\]: /],
    ['a phase without its counts', { ...good, phases: [{ ...phase0, offered: 'many' }] }, /phases\[0\]\.offered: /],
    ['a total without rps', { ...good, total: { ...good.total, rps: undefined } }, /total\.rps: /],
    ['a mix that is not a list', { ...good, total: { ...good.total, mix: {} } }, /total\.mix: /],
    ['a class without rps', { ...good, total: { ...good.total, mix: [{ ...good.total, name: 'vip', rps: undefined }] } }, /total\.mix\[0\]\.rps: /],
    ['thresholds that are not objects', { ...good, thresholds: [1, 2] }, /thresholds\[0\]: /],
    ['faults that are not objects', { ...good, faults: ['x'] }, /faults\[0\]: /],
    ['an empty profile', { ...good, profile: {} }, /profile\.name: /],
    ['a string p50', { ...good, phases: [{ ...phase0, latencyMs: { ...phase0.latencyMs, p50: 'fast' } }] }, /phases\[0\]\.latencyMs\.p50: /],
    ['a speed that is not a number', { ...good, profile: { ...good.profile, speed: 'fast' } }, /profile\.speed: /],
    ['timeline entries that are not windows', { ...good, timeline: [1, 2, 3] }, /timeline\[0\]: /],
    ['a negative count', { ...good, phases: [{ ...phase0, offered: -100 }] }, /phases\[0\]\.offered: /],
    ['more ok than offered', { ...good, phases: [{ ...phase0, ok: phase0.offered + 1 }] }, /phases\[0\]: expected ok \+ failed \+ unfinished ≤ sent/],
    ['a success ratio that does not match', { ...good, phases: [{ ...phase0, successRatio: 0.123 }] }, /phases\[0\]: expected successRatio = ok \/ offered/],
    [
      'percentiles out of order',
      { ...good, phases: [{ ...phase0, latencyMs: { ...phase0.latencyMs, p50: 1e9 } }] },
      /phases\[0\]\.latencyMs: expected min ≤ p50/,
    ],
    ['a status count that is text', { ...good, phases: [{ ...phase0, statuses: { '500': 'lots' } }] }, /phases\[0\]\.statuses\.500: /],
    [
      'a histogram that does not decode',
      { ...good, phases: [{ ...phase0, histograms: { ...phase0.histograms, ok: 'not-base64!!' } }] },
      /phases\[0\]\.histograms\.ok: expected an encoded HDR histogram/,
    ],
    ['a phase without its histograms', { ...good, phases: [{ ...phase0, histograms: undefined }] }, /phases\[0\]\.histograms: /],
    ['a window without its histogram', { ...good, timeline: [{ ...good.timeline[0]!, histogram: undefined }] }, /timeline\[0\]\.histogram: /],
    ['a shard index past its count', { ...good, shard: { ...shardInfo, index: 4 } }, /shard: expected a segment index below the count/],
    ['a failure of an unknown kind', { ...good, failure: { kind: 'bored', atMs: 1, message: 'x' } }, /failure\.kind: /],
    ['interrupted as text', { ...good, interrupted: 'yes' }, /interrupted: /],
    [
      'a name with terminal escapes',
      { ...good, profile: { ...good.profile, name: 'x\u001b]0;pwned\u0007\u001b[2J' } },
      /profile\.name: expected text without control characters/,
    ],
  ])('refuses %s, naming the file and the part', (_, value, message) => {
    expect(() => read(value)).toThrow(UsageError);
    expect(() => read(value)).toThrow(message);
  });
});
