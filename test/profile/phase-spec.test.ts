import { describe, expect, it } from 'vitest';
import { parsePhaseSpec } from '../../src/profile/phase-spec.js';

describe('--phase specs', () => {
  it('parses constant, ramp and closed-model phases', () => {
    expect(parsePhaseSpec('warmup:10s:50')).toEqual({ kind: 'open', name: 'warmup', durationMs: 10_000, from: 50, to: 50 });
    expect(parsePhaseSpec('surge:30s:50..500')).toEqual({ kind: 'open', name: 'surge', durationMs: 30_000, from: 50, to: 500 });
    expect(parsePhaseSpec('slow:1h:2/s..12/s')).toEqual({ kind: 'open', name: 'slow', durationMs: 3_600_000, from: 2, to: 12 });
    expect(parsePhaseSpec('permin:1m:120/m')).toEqual({ kind: 'open', name: 'permin', durationMs: 60_000, from: 2, to: 2 });
    expect(parsePhaseSpec('soak:1m:vus=20')).toEqual({ kind: 'closed', name: 'soak', durationMs: 60_000, vus: 20 });
    expect(parsePhaseSpec('cool:10s:100..0')).toMatchObject({ from: 100, to: 0 });
  });

  it.each([
    ['surge:30s', /expected name:duration:rate/],
    ['surge:30s:50:9', /expected name:duration:rate/],
    ['surge:0s:50', /duration: expected a duration above zero/],
    ['surge:-5s:50', /duration: expected a duration/],
    ['surge:30:50', /duration: expected a duration/],
    ['surge:30s:0', /rate: expected a rate above zero/],
    ['surge:30s:-50', /rate: expected a rate/],
    ['surge:30s:fast', /rate: expected a rate .* got "fast"/],
    ['surge:30s:vus=0', /vus: expected a whole number/],
    ['surge:30s:vus=2.5', /vus: expected a whole number/],
    [':30s:50', /phase name/],
  ])('rejects %s', (spec, message) => {
    expect(() => parsePhaseSpec(spec)).toThrow(message);
  });
});
