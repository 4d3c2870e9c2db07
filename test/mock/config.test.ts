import { describe, expect, it } from 'vitest';
import { applyMockOverride, checkMockConfig, defaultMockConfig, mockConfigPaths, mockConfigSchema, parseMockOverride } from '../../src/mock/config/index.js';

describe('mock config', () => {
  it('defaults to an M/M/c queue: 4 workers, exp:100ms, FIFO, no timeout, every optional section off', () => {
    expect(defaultMockConfig()).toEqual({
      queue: { order: 'fifo', monitor: true, monitorInterval: 1000, cancelOnDisconnect: false, maxLength: 100_000, congestedAfter: 1000 },
      fleet: { workers: 4, serviceTime: { dist: 'exp', mean: 100 } },
    });
  });

  it('reads units as people write them into plain numbers (ms, bytes, per second)', () => {
    const config = mockConfigSchema.parse({
      rateLimit: { rate: '600/m' },
      routers: { count: 8, bytesPerRequest: '256KB', gcRate: '50MB/s', memoryLimit: '4GB', baseMemory: '1GiB', restartAfter: '1m', restartJitter: '15s' },
      admission: { queueLimit: 0, retryAfter: '30s' },
      queue: { order: 'adaptive-lifo', timeout: '5m', monitorInterval: '10s' },
      fleet: { workers: 40, serviceTime: 'lognormal:20s:0.5', autoscale: { min: 10, max: 80, targetUtilization: '70%', provisionDelay: '2m' } },
      db: { maxConnections: 100, pooling: true, poolSize: 20, holdTime: '50ms' },
      latency: { add: '1.5s', jitter: '200ms' },
      errors: { rate: 0.05, status: 503 },
    });
    expect(config.rateLimit).toEqual({ rate: 10, burst: 10 });
    expect(config.routers).toEqual({
      count: 8,
      bytesPerRequest: 256_000,
      gcRate: 50_000_000,
      memoryLimit: 4e9,
      baseMemory: 1024 ** 3,
      restartAfter: 60_000,
      restartJitter: 15_000,
    });
    expect(config.admission).toEqual({ queueLimit: 0, deadlineAware: false, retryAfter: 30_000 });
    expect(config.queue).toMatchObject({ order: 'adaptive-lifo', timeout: 300_000, monitorInterval: 10_000 });
    expect(config.fleet).toEqual({
      workers: 40,
      serviceTime: { dist: 'lognormal', mean: 20_000, sigma: 0.5 },
      autoscale: { min: 10, max: 80, targetUtilization: 0.7, interval: 15_000, provisionDelay: 120_000 },
    });
    expect(config.db).toEqual({ maxConnections: 100, pooling: true, poolSize: 20, holdTime: 50 });
    expect(config.latency).toEqual({ add: 1500, jitter: 200 });
    expect(config.errors).toEqual({ rate: 0.05, status: 503 });
    // A parsed config is plain JSON and validates again as data (what the child process receives).
    expect(checkMockConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
  });

  it('reports every problem with its path; unknown keys are errors', () => {
    const result = mockConfigSchema.safeParse({
      fleet: { workers: -1, serviceTime: 'exp:fast', extra: 1 },
      queue: { timeout: 60 },
      routers: { memoryLimit: 'lots' },
      bogus: {},
    });
    expect(result.success).toBe(false);
    const problems = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^fleet\.workers: expected a whole number/),
        expect.stringMatching(/^fleet\.serviceTime: expected a service time such as "20s", "exp:20s"/),
        expect.stringMatching(/^fleet: Unrecognized key: "extra"/),
        expect.stringMatching(/^queue\.timeout: expected a duration such as "250ms".*got 60$/),
        expect.stringMatching(/^routers\.memoryLimit: expected a size/),
        expect.stringMatching(/^: Unrecognized key: "bogus"/),
      ]),
    );
  });

  it.each([['uniform:30s:10s'], ['lognormal:20s'], ['lognormal:20s:0'], ['exp:0s'], ['gamma:1s']])('rejects the service time %s', (serviceTime) => {
    expect(mockConfigSchema.safeParse({ fleet: { serviceTime } }).success).toBe(false);
  });

  it('rejects autoscale with min above max', () => {
    const result = mockConfigSchema.safeParse({ fleet: { autoscale: { min: 10, max: 5 } } });
    expect(result.error?.issues[0]?.message).toMatch(/min must not be above/);
  });

  describe('--mock key=value', () => {
    it('changes one value and leaves the input untouched', () => {
      const base = defaultMockConfig();
      const next = applyMockOverride(base, 'fleet.workers', '8');
      expect(next.fleet.workers).toBe(8);
      expect(base.fleet.workers).toBe(4);
      expect(applyMockOverride(base, 'fleet.serviceTime', 'exp:20s').fleet.serviceTime).toEqual({ dist: 'exp', mean: 20_000 });
      expect(applyMockOverride(base, 'queue.timeout', '1m').queue.timeout).toBe(60_000);
      expect(applyMockOverride(base, 'queue.monitor', 'off').queue.monitor).toBe(false);
    });

    it('turns a section on with its defaults when one of its fields is set, and off with "off"', () => {
      const on = applyMockOverride(defaultMockConfig(), 'routers.count', '2');
      expect(on.routers).toMatchObject({ count: 2, memoryLimit: 2e9 });
      expect(applyMockOverride(on, 'routers', 'off').routers).toBeUndefined();
      expect(applyMockOverride(defaultMockConfig(), 'fleet.autoscale', 'on').fleet.autoscale).toMatchObject({ min: 1, max: 64 });
      expect(applyMockOverride(defaultMockConfig(), 'fleet.autoscale.max', '9').fleet.autoscale).toMatchObject({ max: 9 });
    });

    it.each([
      ['fleet.workers', 'eight', /^fleet\.workers: expected a whole number from 0 to 100000, got "eight"$/],
      ['queue.timeout', '60', /^queue\.timeout: expected a duration/],
      ['queue.order', 'random', /^queue\.order: expected fifo, lifo or adaptive-lifo, got "random"$/],
      ['fleet.worker', '8', /^unknown mock setting "fleet\.worker" \(known under fleet: .*workers/],
      ['nope.x', '1', /^unknown mock setting "nope\.x" \(sections: rateLimit, routers/],
      ['queue', 'off', /^unknown mock setting "queue"/],
      ['errors.status', '503', /^errors is off; to turn it on this way it needs errors\.rate/],
      ['fleet.autoscale.min', '100', /min must not be above/],
    ])('%s=%s fails with a message naming the key', (path, value, message) => {
      expect(() => applyMockOverride(defaultMockConfig(), path, value)).toThrow(message);
    });

    it('lists every path it accepts', () => {
      const paths = mockConfigPaths();
      expect(paths).toEqual(expect.arrayContaining(['fleet.workers', 'queue.timeout', 'routers', 'fleet.autoscale.provisionDelay', 'db.pooling']));
      for (const path of paths.filter((p) => p.includes('.'))) expect(() => parseMockOverride(path, {})).toThrow(path);
    });
  });
});
