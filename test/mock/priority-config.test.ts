// The `priority` section everywhere the mock's config is read: a profile's YAML (units and all), an already
// parsed MockConfig checked again at a boundary, `--mock key=value` and the `set` fault.
import { describe, expect, it } from 'vitest';
import { applyMockOverride, checkMockConfig, defaultMockConfig, mockConfigPaths, mockConfigSchema } from '../../src/mock/config/index.js';
import { FaultInjector, validateFault } from '../../src/mock/faults/index.js';
import { SimulatedService } from '../../src/mock/model/simulated-service.js';
import { parseProfile, ProfileError } from '../../src/profile/load.js';
import { configIssues } from './support/config-issues.js';

const issues = configIssues;

describe('mock config: priority', () => {
  it('is off by default; on, it defaults to the x-priority header and no reserved servers', () => {
    expect(defaultMockConfig().priority).toBeUndefined();
    expect(mockConfigSchema.parse({ priority: {} }).priority).toEqual({ header: 'x-priority', reserved: 0 });
    // Header names are case-insensitive: kept lower-case, as node:http presents them.
    const config = mockConfigSchema.parse({ priority: { header: ' X-Tenant-Class ', reserved: '4' } });
    expect(config.priority).toEqual({ header: 'x-tenant-class', reserved: 4 });
    expect(checkMockConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
    expect(mockConfigPaths()).toEqual(expect.arrayContaining(['priority', 'priority.header', 'priority.reserved']));
  });

  it('reads a profile mock: section as YAML', () => {
    const profile = parseProfile('mock:\n  priority: { header: x-priority, reserved: 4 }\nphases: [ "a:10s:5" ]\n', 'p.yaml', 'p');
    expect(profile.mock.priority).toEqual({ header: 'x-priority', reserved: 4 });
    try {
      parseProfile('mock:\n  priority: { reserved: -1 }\nphases: [ "a:10s:5" ]\n', 'p.yaml', 'p');
      expect.unreachable('a negative reserved count must be rejected');
    } catch (err) {
      expect(err).toBeInstanceOf(ProfileError);
      expect((err as ProfileError).problems).toEqual([expect.stringMatching(/^p\.yaml:2 mock\.priority\.reserved: expected a whole number ≥ 0, got -1$/)]);
    }
  });

  it.each([
    [{ reserved: -1 }, /^priority\.reserved: expected a whole number ≥ 0, got -1$/],
    [{ reserved: 1.5 }, /^priority\.reserved: expected a whole number ≥ 0, got 1\.5$/],
    [{ reserved: 'two' }, /^priority\.reserved: expected a whole number ≥ 0, got "two"$/],
    [{ header: 5 }, /^priority\.header: expected an HTTP header name such as "x-priority", got 5$/],
    [{ header: 'x priority' }, /^priority\.header: expected an HTTP header name such as "x-priority", got "x priority"$/],
    [{ header: '' }, /^priority\.header: expected an HTTP header name/],
    [{ weight: 2 }, /^priority: Unrecognized key: "weight"$/],
  ])('rejects priority %j with a message naming the field', (priority, message) => {
    expect(issues({ priority })).toEqual([expect.stringMatching(message)]);
  });

  it('rejects bad values in an already parsed config too', () => {
    expect(() => checkMockConfig({ ...defaultMockConfig(), priority: { header: 'x-priority', reserved: -1 } })).toThrow(/mock\.priority\.reserved: /);
    expect(() => checkMockConfig({ ...defaultMockConfig(), priority: { header: 'X-Priority', reserved: 0 } })).toThrow(
      /mock\.priority\.header: expected an HTTP header name .* in lower case/,
    );
    expect(() => checkMockConfig({ ...defaultMockConfig(), priority: { header: 'x-priority', reserved: 0, weight: 1 } })).toThrow(
      /mock\.priority: Unrecognized key/,
    );
  });

  it('--mock priority.reserved=4 turns the section on; priority=off turns it off; bad values name the key', () => {
    const on = applyMockOverride(defaultMockConfig(), 'priority.reserved', '4');
    expect(on.priority).toEqual({ header: 'x-priority', reserved: 4 });
    expect(applyMockOverride(on, 'priority.header', 'X-Class').priority).toEqual({ header: 'x-class', reserved: 4 });
    expect(applyMockOverride(on, 'priority', 'off').priority).toBeUndefined();
    expect(applyMockOverride(defaultMockConfig(), 'priority', 'on').priority).toEqual({ header: 'x-priority', reserved: 0 });
    expect(() => applyMockOverride(on, 'priority.reserved', '-1')).toThrow(/^priority\.reserved: expected a whole number ≥ 0, got "-1"$/);
    expect(() => applyMockOverride(on, 'priority.weight', '1')).toThrow(/^unknown mock setting "priority\.weight" \(known under priority: header, reserved\)$/);
  });

  it('the set fault changes it on a running model and reverting restores it', () => {
    expect(validateFault('set', { 'priority.reserved': '8' })).toMatchObject({ ok: true });
    expect(validateFault('set', { 'priority.reserved': -8 })).toMatchObject({ ok: false, problems: [{ path: ['priority.reserved'] }] });
    const service = new SimulatedService(mockConfigSchema.parse({ priority: { reserved: 4 }, fleet: { workers: 16 } }), { seed: 1 });
    const faults = new FaultInjector(service);
    const record = faults.inject({ fault: 'set', 'priority.reserved': 8 });
    expect(service.config.priority).toEqual({ header: 'x-priority', reserved: 8 });
    faults.revert(record.id);
    expect(service.config.priority).toEqual({ header: 'x-priority', reserved: 4 });
    faults.inject({ fault: 'set', priority: 'off' });
    expect(service.state().priority).toBeNull();
  });
});
