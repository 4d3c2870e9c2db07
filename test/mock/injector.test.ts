import { describe, expect, it } from 'vitest';
import { defaultMockConfig, mockConfigSchema } from '../../src/mock/config/index.js';
import { FaultError, FaultInjector, faultDefinitions, faultNames, validateFault } from '../../src/mock/faults/index.js';
import { SimulatedService } from '../../src/mock/model/simulated-service.js';

function injector(mock: unknown = {}) {
  const service = new SimulatedService(mockConfigSchema.parse(mock), { seed: 1 });
  return { service, faults: new FaultInjector(service) };
}

describe('faults: registry, validation and the injector', () => {
  it('registers every named fault from one explicit list, each with a description and an example that validates', () => {
    expect(faultNames).toEqual([
      'shrink-fleet',
      'shorten-timeout',
      'cap-connections',
      'break-monitor',
      'leak-buffers',
      'kill-routers',
      'add-latency',
      'error-rate',
      'set',
    ]);
    for (const fault of faultDefinitions) {
      expect(fault.description.length).toBeGreaterThan(20);
      const [name, ...pairs] = fault.example.split(' ');
      expect(name).toBe(fault.name);
      const params = Object.fromEntries(pairs.map((p) => p.split('=') as [string, string]));
      expect(validateFault(fault.name, params), fault.example).toMatchObject({ ok: true });
    }
  });

  it('validates without a running mock and reports every problem with its path', () => {
    expect(validateFault('shrink-fleet', { workers: '4', for: '30s' })).toEqual({ ok: true, fault: 'shrink-fleet', params: { workers: 4 }, for: 30_000 });
    expect(validateFault('shrink-fleet', { workers: -1, for: 'later', extra: 1 })).toEqual({
      ok: false,
      problems: [
        { path: ['for'], message: expect.stringMatching(/^expected a duration/) },
        { path: ['workers'], message: expect.stringMatching(/^expected a whole number/) },
        { path: [], message: 'Unrecognized key: "extra"' },
      ],
    });
    expect(validateFault('nope', {})).toMatchObject({ ok: false, problems: [{ path: ['fault'] }] });
    expect(validateFault('set', { 'queue.timeout': 'soon', 'fleet.workers': 2 })).toMatchObject({ ok: false, problems: [{ path: ['queue.timeout'] }] });
    expect(validateFault('leak-buffers', { factor: 2, bytesPerRequest: '1MB' })).toMatchObject({ ok: false });
  });

  it('logs each fault with its virtual time and reverts it by itself after for:, in virtual time', () => {
    const { service, faults } = injector();
    const events: string[] = [];
    faults.onEvent((e) => events.push(`${e.kind} ${e.record.id} at ${e.kind === 'applied' ? e.record.at : e.record.reverted}`));
    service.advance(1000);
    const record = faults.inject({ fault: 'shrink-fleet', workers: 1, for: '1m' });
    expect(record).toEqual({ id: 1, at: 1000, fault: 'shrink-fleet', params: { workers: 1 }, until: 61_000 });
    expect(service.state().workers).toBe(1);
    service.advance(60_999);
    expect(service.state().workers).toBe(1);
    service.advance(61_000);
    expect(service.state().workers).toBe(4);
    expect(faults.list()[0]).toMatchObject({ reverted: 61_000 });
    expect(events).toEqual(['applied 1 at 1000', 'reverted 1 at 61000']);
    expect(() => faults.revert(1)).toThrow(/already reverted/);
    expect(() => faults.revert(7)).toThrow(FaultError);
  });

  it('layers faults: reverting one never undoes a later one', () => {
    const { service, faults } = injector({ fleet: { workers: 8 } });
    const a = faults.inject({ fault: 'shrink-fleet', workers: 4 });
    faults.inject({ fault: 'shorten-timeout', timeout: '1m' });
    const c = faults.inject({ fault: 'shrink-fleet', workers: 2 });
    faults.revert(a.id);
    expect(service.config.fleet.workers).toBe(2); // the later shrink still holds
    expect(service.config.queue.timeout).toBe(60_000);
    faults.revert(c.id);
    expect(service.config.fleet.workers).toBe(8);
    expect(service.config).toEqual({
      ...defaultMockConfig(),
      fleet: { ...defaultMockConfig().fleet, workers: 8 },
      queue: { ...defaultMockConfig().queue, timeout: 60_000 },
    });
  });

  it('add-latency faults add up; error-rate replaces', () => {
    const { service, faults } = injector();
    faults.inject({ fault: 'add-latency', latency: '100ms' });
    faults.inject({ fault: 'add-latency', latency: '50ms', jitter: '10ms' });
    expect(service.config.latency).toEqual({ add: 150, jitter: 10 });
    faults.inject({ fault: 'error-rate', rate: 0.1 });
    faults.inject({ fault: 'error-rate', rate: '20%', status: 503 });
    expect(service.config.errors).toEqual({ rate: 0.2, status: 503 });
  });

  it('keeps at most 1000 log entries, dropping the oldest reverted ones first', () => {
    const { faults } = injector();
    for (let i = 0; i < 1005; i++) {
      const r = faults.inject({ fault: 'add-latency', latency: '1ms' });
      if (i > 0) faults.revert(r.id);
    }
    const log = faults.list();
    expect(log).toHaveLength(1000);
    expect(log[0]!.id).toBe(1); // still active
    expect(log.at(-1)!.id).toBe(1005);
  });
});
