// What a sweep's --vary means, before anything runs: the syntax, every value read as its flag or profile
// field reads it (bad ones named with --vary, the key and the value), the product of two, the bound on
// variants, and what `rate` does to open- and closed-model phases.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { LIMITS } from '../../src/core/limits.js';
import { loadProfile, parseProfile } from '../../src/profile/load.js';
import { parseVarySpec, sweepVariants } from '../../src/run/sweep.js';

const quickstart = loadProfile('quickstart');
const MIXED = parseProfile(
  `seed: 3
phases:
  - { name: open, duration: 2s, rate: 10/s..30/s }
  - { name: users, duration: 2s, vus: 4 }
`,
  'profiles/mixed.yaml',
  'mixed',
);
const CLOSED = parseProfile(`phases: [ { name: users, duration: 2s, vus: 4 } ]\n`, 'profiles/closed.yaml', 'closed');

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

const vary = (...specs: string[]) => specs.map(parseVarySpec);

describe('--vary syntax', () => {
  it('reads key=v1,v2,... (spaces around values trimmed)', () => {
    expect(parseVarySpec('mock.fleet.workers=4, 8,16')).toEqual({ key: 'mock.fleet.workers', texts: ['4', '8', '16'] });
  });

  it.each([
    ['workers', /--vary: expected key=v1,v2,\.\.\. .*got "workers"/],
    ['=4,8', /--vary: expected key=v1,v2/],
    ['rate=', /--vary: expected key=v1,v2/],
    ['rate=1,,2', /--vary rate: expected values separated by single commas/],
    ['rate=1,2,1', /--vary rate: the value "1" is given twice/],
  ])('%s is refused, naming --vary', (raw, message) => {
    expect(problem(() => parseVarySpec(raw))).toMatch(message);
  });
});

describe('--vary values, read as their flags read them', () => {
  it.each([
    ['foo=1', /--vary foo: unknown key \(expected mock\.<setting>/],
    ['mock.fleet.workers=4,x', /--vary mock\.fleet\.workers=x: fleet\.workers: expected/],
    ['mock.fleet.nope=1', /--vary mock\.fleet\.nope=1: unknown mock setting "fleet\.nope"/],
    ['client.connections=0', /--vary client\.connections=0: expected a whole number from 1 to 100000, got "0" \(as --connections takes\)/],
    ['client.timeout=5', /--vary client\.timeout=5: expected a duration/],
    ['client.arrivals=uniform,bursty', /--vary client\.arrivals=bursty: expected uniform or poisson/],
    ['client.retries.backoff=linear', /--vary client\.retries\.backoff=linear: expected none, exponential or full-jitter/],
    ['client.speed=2', /--vary client\.speed: not a client setting a sweep can vary \(expected one of client\.connections, /],
    ['rate=0', /--vary rate=0: expected a factor above zero/],
    ['rate=-1', /--vary rate=-1: expected a factor above zero/],
    ['rate=1e9', /--vary rate=1e9: expected a factor above zero \(at most 1000\)/],
  ])('%s is refused, naming the key and the value', (spec, message) => {
    expect(problem(() => sweepVariants(quickstart, {}, vary(spec)))).toMatch(message);
  });

  it('refuses a rate that takes a phase past the limit', () => {
    const fast = parseProfile(`phases: [ "a:1s:900000" ]\n`, 'profiles/fast.yaml', 'fast');
    expect(problem(() => sweepVariants(fast, {}, vary('rate=1,2')))).toMatch(/--vary rate=2: phase a would offer more than 1000000\/s/);
  });

  it('refuses rate for a profile without open-model phases', () => {
    expect(problem(() => sweepVariants(CLOSED, {}, vary('rate=1,2')))).toMatch(/--vary rate: scales the rate of open-model phases, and closed has none/);
  });

  it('refuses none, three, the same key twice, and more variants than the limit', () => {
    expect(problem(() => sweepVariants(quickstart, {}, []))).toMatch(/expected --vary/);
    expect(problem(() => sweepVariants(quickstart, {}, vary('rate=1', 'client.connections=8', 'mock.fleet.workers=4')))).toMatch(
      /--vary: expected one or two .* got 3/,
    );
    expect(problem(() => sweepVariants(quickstart, {}, vary('rate=1,2', 'rate=3')))).toMatch(/--vary rate: given twice/);
    const eleven = Array.from({ length: 11 }, (_, i) => i + 1).join(',');
    const ten = Array.from({ length: 10 }, (_, i) => i + 1).join(',');
    expect(problem(() => sweepVariants(quickstart, {}, vary(`mock.fleet.workers=${eleven}`, `client.connections=${ten}`)))).toBe(
      `--vary: 11 × 10 = 110 variants; a sweep runs at most ${LIMITS.sweepVariantsMax}`,
    );
  });
});

describe('variants', () => {
  it('one per value, each plan with its value and the shared flags', () => {
    const { variants } = sweepVariants(quickstart, { seed: 7, mock: [['queue.timeout', '1s']] }, vary('mock.fleet.workers=4,16'));
    expect(variants.map((v) => v.values)).toEqual([{ 'mock.fleet.workers': 4 }, { 'mock.fleet.workers': 16 }]);
    expect(variants.map((v) => v.label)).toEqual(['mock.fleet.workers=4', 'mock.fleet.workers=16']);
    expect(variants.map((v) => v.plan.mock.fleet.workers)).toEqual([4, 16]);
    expect(variants.map((v) => v.plan.mock.queue.timeout)).toEqual([1000, 1000]);
    expect(variants.map((v) => v.plan.seed)).toEqual([7, 7]);
  });

  it('two --vary: their product, the first outer, values as written (numbers as numbers)', () => {
    const { varies, variants } = sweepVariants(quickstart, {}, vary('client.timeout=200ms,2s', 'client.arrivals=uniform,poisson'));
    expect(varies.map((v) => v.numeric)).toEqual([false, false]);
    expect(variants.map((v) => v.values)).toEqual([
      { 'client.timeout': '200ms', 'client.arrivals': 'uniform' },
      { 'client.timeout': '200ms', 'client.arrivals': 'poisson' },
      { 'client.timeout': '2s', 'client.arrivals': 'uniform' },
      { 'client.timeout': '2s', 'client.arrivals': 'poisson' },
    ]);
    expect(variants.map((v) => [v.plan.client.timeoutMs, v.plan.client.arrivals])).toEqual([
      [200, 'uniform'],
      [200, 'poisson'],
      [2000, 'uniform'],
      [2000, 'poisson'],
    ]);
  });

  it('client.retries.max and .backoff set what --retries and --backoff set', () => {
    const { variants } = sweepVariants(quickstart, {}, vary('client.retries.max=0,3', 'client.retries.backoff=none'));
    expect(variants.map((v) => [v.plan.client.retries.max, v.plan.client.retries.backoff])).toEqual([
      [0, 'none'],
      [3, 'none'],
    ]);
  });

  it('rate scales every open-model phase, both ends of a ramp; closed-model phases keep their users', () => {
    const { variants } = sweepVariants(MIXED, {}, vary('rate=0.5,2'));
    expect(variants.map((v) => v.plan.phases)).toEqual([
      [
        { kind: 'open', name: 'open', durationMs: 2000, from: 5, to: 15 },
        { kind: 'closed', name: 'users', durationMs: 2000, vus: 4 },
      ],
      [
        { kind: 'open', name: 'open', durationMs: 2000, from: 20, to: 60 },
        { kind: 'closed', name: 'users', durationMs: 2000, vus: 4 },
      ],
    ]);
  });

  it("a problem only a combination has names the combination; the shared flags' own problems are theirs", () => {
    const routers = parseProfile(
      `mock: { routers: { count: 4 } }
phases: [ "a:5s:10" ]
faults: [ { at: 1s, fault: kill-routers, count: 3 } ]
`,
      'profiles/routers.yaml',
      'routers',
    );
    expect(problem(() => sweepVariants(routers, {}, vary('mock.routers.count=4,2')))).toMatch(
      /^--vary mock\.routers\.count=2: .*count=3 is more than the 2 router nodes/,
    );
    expect(problem(() => sweepVariants(quickstart, { thresholds: ['nope: p99 < 1s'] }, vary('rate=1,2')))).toMatch(/^--threshold: /);
  });
});
