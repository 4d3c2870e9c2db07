// `routers.autoscale` everywhere the mock's config is read: a profile's YAML (units and all), an already
// parsed MockConfig checked again at a boundary, `--mock key=value` and the `set` fault.
import { describe, expect, it } from 'vitest';
import { applyMockOverride, checkMockConfig, defaultMockConfig, mockConfigPaths, mockConfigSchema } from '../../src/mock/config/index.js';
import { FaultInjector, validateFault } from '../../src/mock/faults/index.js';
import { SimulatedService } from '../../src/mock/model/simulated-service.js';
import { parseProfile, ProfileError } from '../../src/profile/load.js';
import { configIssues } from './support/config-issues.js';

const issues = configIssues;

describe('mock config: routers.autoscale', () => {
  it('is off by default; on, it has the documented defaults; units read as people write them', () => {
    expect(mockConfigSchema.parse({ routers: {} }).routers!.autoscale).toBeUndefined();
    expect(mockConfigSchema.parse({ routers: { autoscale: {} } }).routers!.autoscale).toEqual({
      min: 1,
      max: 64,
      targetMemory: 0.6,
      interval: 15_000,
      provisionDelay: 60_000,
    });
    const config = mockConfigSchema.parse({
      routers: {
        count: 10,
        memoryLimit: '4GB',
        baseMemory: '1.7GB',
        autoscale: { min: '10', max: 20, targetMemory: '60%', interval: '1m', provisionDelay: '3m' },
      },
    });
    expect(config.routers!.autoscale).toEqual({ min: 10, max: 20, targetMemory: 0.6, interval: 60_000, provisionDelay: 180_000 });
    expect(checkMockConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
    expect(mockConfigPaths()).toEqual(
      expect.arrayContaining([
        'routers.autoscale',
        'routers.autoscale.min',
        'routers.autoscale.max',
        'routers.autoscale.targetMemory',
        'routers.autoscale.interval',
        'routers.autoscale.provisionDelay',
      ]),
    );
  });

  it('reads a profile mock: section as YAML, and names the field of a bad value with its line', () => {
    const profile = parseProfile('mock:\n  routers:\n    autoscale: { min: 2, max: 4, targetMemory: 0.5 }\nphases: [ "a:10s:5" ]\n', 'p.yaml', 'p');
    expect(profile.mock.routers!.autoscale).toMatchObject({ min: 2, max: 4, targetMemory: 0.5 });
    try {
      parseProfile('mock:\n  routers:\n    autoscale: { targetMemory: 2 }\nphases: [ "a:10s:5" ]\n', 'p.yaml', 'p');
      expect.unreachable('a target above the memory limit must be rejected');
    } catch (err) {
      expect(err).toBeInstanceOf(ProfileError);
      expect((err as ProfileError).problems).toEqual([
        expect.stringMatching(
          /^p\.yaml:3 mock\.routers\.autoscale\.targetMemory: expected a share of memoryLimit above 0 and at most 1, such as 0\.6 or "60%", got 2$/,
        ),
      ]);
    }
  });

  it.each([
    [{ min: 0 }, /^routers\.autoscale\.min: expected a whole number from 1 to 10000, got 0$/],
    [{ max: 0 }, /^routers\.autoscale\.max: expected a whole number from 1 to 10000, got 0$/],
    [{ max: 2.5 }, /^routers\.autoscale\.max: expected a whole number from 1 to 10000, got 2\.5$/],
    [{ targetMemory: 0 }, /^routers\.autoscale\.targetMemory: expected a share of memoryLimit above 0 and at most 1, .*got 0$/],
    [{ targetMemory: '150%' }, /^routers\.autoscale\.targetMemory: expected a share of memoryLimit .*got "150%"$/],
    [{ targetMemory: 'most' }, /^routers\.autoscale\.targetMemory: expected a share of memoryLimit .*got "most"$/],
    [{ interval: '0s' }, /^routers\.autoscale\.interval: expected a duration above zero, such as "30s", got "0s"$/],
    [{ interval: 60 }, /^routers\.autoscale\.interval: expected a duration such as .*got 60$/],
    [{ provisionDelay: 'soon' }, /^routers\.autoscale\.provisionDelay: expected a duration such as .*got "soon"$/],
    [{ min: 8, max: 4 }, /^routers\.autoscale: autoscale\.min must not be above autoscale\.max$/],
    [{ target: 0.6 }, /^routers\.autoscale: Unrecognized key: "target"$/],
    // The defaults have an idle node at 500 MB of 2 GB: 25%. A target at or under it could never be met.
    [{ targetMemory: 0.25 }, /^routers\.autoscale\.targetMemory: targetMemory × memoryLimit must be above baseMemory/],
  ])('rejects routers.autoscale %j with a message naming the field', (autoscale, message) => {
    expect(issues({ routers: { autoscale } })).toEqual([expect.stringMatching(message)]);
  });

  it('rejects bad values in an already parsed config too', () => {
    const routers = mockConfigSchema.parse({ routers: {} }).routers!;
    const autoscale = { min: 1, max: 4, targetMemory: 0.6, interval: 15_000, provisionDelay: 0 };
    expect(checkMockConfig({ ...defaultMockConfig(), routers: { ...routers, autoscale } }).routers!.autoscale).toEqual(autoscale);
    expect(() => checkMockConfig({ ...defaultMockConfig(), routers: { ...routers, autoscale: { ...autoscale, targetMemory: 1.2 } } })).toThrow(
      /mock\.routers\.autoscale\.targetMemory: /,
    );
    expect(() => checkMockConfig({ ...defaultMockConfig(), routers: { ...routers, autoscale: { ...autoscale, interval: '15s' } } })).toThrow(
      /mock\.routers\.autoscale\.interval: /,
    );
    expect(() => checkMockConfig({ ...defaultMockConfig(), routers: { ...routers, autoscale: { ...autoscale, min: 0 } } })).toThrow(
      /mock\.routers\.autoscale\.min: /,
    );
    expect(() => checkMockConfig({ ...defaultMockConfig(), routers: { ...routers, baseMemory: 1.5e9, autoscale } })).toThrow(
      /mock\.routers\.autoscale\.targetMemory: targetMemory × memoryLimit must be above baseMemory/,
    );
  });

  it('--mock routers.autoscale.max=9 turns autoscale (and routers, if off) on; =off turns it off; bad values name the key', () => {
    const on = applyMockOverride(defaultMockConfig(), 'routers.autoscale.max', '9');
    expect(on.routers).toMatchObject({ count: 4, autoscale: { min: 1, max: 9, targetMemory: 0.6 } });
    expect(applyMockOverride(on, 'routers.autoscale.targetMemory', '70%').routers!.autoscale!.targetMemory).toBe(0.7);
    expect(applyMockOverride(on, 'routers.autoscale', 'off').routers).not.toHaveProperty('autoscale');
    expect(applyMockOverride(defaultMockConfig(), 'routers.autoscale', 'off')).toEqual(defaultMockConfig());
    expect(applyMockOverride(defaultMockConfig(), 'routers.autoscale', 'on').routers!.autoscale).toEqual({
      min: 1,
      max: 64,
      targetMemory: 0.6,
      interval: 15_000,
      provisionDelay: 60_000,
    });
    expect(() => applyMockOverride(on, 'routers.autoscale.min', '10')).toThrow(
      /^routers\.autoscale\.min: routers\.autoscale: autoscale\.min must not be above autoscale\.max$/,
    );
    expect(() => applyMockOverride(on, 'routers.autoscale.targetMemory', '0')).toThrow(/^routers\.autoscale\.targetMemory: expected a share of memoryLimit/);
    expect(() => applyMockOverride(on, 'routers.autoscale.target', '0.6')).toThrow(
      /^unknown mock setting "routers\.autoscale\.target" \(known under routers: .*autoscale\.targetMemory/,
    );
  });

  it('the set fault changes it on a running model and reverting restores it', () => {
    expect(validateFault('set', { 'routers.autoscale.targetMemory': '0.7' })).toMatchObject({ ok: true });
    expect(validateFault('set', { 'routers.autoscale.targetMemory': 7 })).toMatchObject({
      ok: false,
      problems: [{ path: ['routers.autoscale.targetMemory'] }],
    });
    const service = new SimulatedService(mockConfigSchema.parse({ routers: { count: 3, autoscale: { min: 3, max: 6 } } }), { seed: 1 });
    const faults = new FaultInjector(service);
    const record = faults.inject({ fault: 'set', 'routers.autoscale': 'off' });
    expect(service.config.routers!.autoscale).toBeUndefined();
    faults.revert(record.id);
    expect(service.config.routers!.autoscale).toMatchObject({ min: 3, max: 6 });
    // kill-routers counts the nodes in the pool, not routers.count.
    faults.inject({ fault: 'set', 'routers.count': 5 });
    expect(service.state().routers).toHaveLength(5);
    expect(() => faults.inject({ fault: 'kill-routers', count: 6 })).toThrow(/count=6 is more than the 5 router nodes/);
  });
});
