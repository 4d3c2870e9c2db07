// A saved result read back by compare: damaged parts are bad input (a UsageError naming the file and
// the part, exit 2), never a TypeError half-way through the report.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/usage-error.js';
import { toSavedResult } from '../../src/report/compare/saved-result.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from './run-fixture.js';

const good = simulateRun(RAMP_WITH_FAILING_SURGE);
const withMix = { ...good, total: { ...good.total, mix: [{ ...good.total, name: 'vip' }] } };
const read = (value: unknown): unknown => toSavedResult(JSON.parse(JSON.stringify(value)), 'r.json');

describe('toSavedResult', () => {
  it('accepts a result as ramp --json writes it, with or without a request mix', () => {
    expect(read(good)).toEqual(good);
    expect(read(withMix)).toEqual(withMix);
  });

  it.each([
    ['a phase that is not an object', { ...good, phases: [1] }, /r\.json: .* phases\[0\] is not an object/],
    ['a phase without its counts', { ...good, phases: [{ ...good.phases[0], offered: 'many' }] }, /phases\[0\]\.offered missing or of the wrong type/],
    ['a total without rps', { ...good, total: { ...good.total, rps: undefined } }, /total\.rps missing/],
    ['a mix that is not a list', { ...good, total: { ...good.total, mix: {} } }, /total\.mix missing or of the wrong type/],
    ['a class without rps', { ...good, total: { ...good.total, mix: [{ ...good.total, name: 'vip', rps: undefined }] } }, /total\.mix\[0\]\.rps missing/],
  ])('refuses %s, naming the file and the part', (_, value, message) => {
    expect(() => read(value)).toThrow(UsageError);
    expect(() => read(value)).toThrow(message);
  });
});
