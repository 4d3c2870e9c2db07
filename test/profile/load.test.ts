import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile, ProfileError } from '../../src/profile/load.js';

function problems(yaml: string): string[] {
  try {
    parseProfile(yaml, 'profiles/x.yaml', 'x');
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileError);
    return (err as ProfileError).problems;
  }
  throw new Error('expected the profile to be rejected');
}

describe('profile loading', () => {
  it('parses a full profile into incident-time numbers', () => {
    const profile = parseProfile(
      `name: demo
description: A demo.
speed: 60
seed: 7
client:
  timeout: 5m
  connections: 512
  maxInFlight: 10000
  arrivals: poisson
  retries: { max: 2, backoff: full-jitter, base: 1s, cap: 30s, respectRetryAfter: true, budget: 0.1 }
mock:
  fleet: { workers: 40, serviceTime: exp:20s }
  queue: { order: fifo, timeout: 5m, monitor: true }
phases:
  - { name: baseline, duration: 2h, rate: 2/s }
  - { name: surge, duration: 3h, rate: 2/s..12/s }
  - soak:10m:vus=5
faults:
  - { at: 4h, fault: break-monitor, for: 1h }
thresholds: [ "success >= 0.5", "surge: p99 < 90s" ]
`,
      'profiles/demo.yaml',
      'demo',
    );
    expect(profile.speed).toBe(60);
    expect(profile.client).toEqual({
      timeoutMs: 300_000,
      connections: 512,
      maxInFlight: 10_000,
      arrivals: 'poisson',
      retries: { max: 2, backoff: 'full-jitter', baseMs: 1000, capMs: 30_000, respectRetryAfter: true, budget: 0.1 },
      expectedStatuses: '200-299',
      redirects: 0,
      tls: { insecure: false },
    });
    expect(profile.phases).toEqual([
      { kind: 'open', name: 'baseline', durationMs: 7_200_000, from: 2, to: 2 },
      { kind: 'open', name: 'surge', durationMs: 10_800_000, from: 2, to: 12 },
      { kind: 'closed', name: 'soak', durationMs: 600_000, vus: 5 },
    ]);
    expect(profile.mock.fleet.workers).toBe(40);
    expect(profile.faults).toEqual([{ at: 14_400_000, fault: 'break-monitor', params: { for: '1h' } }]);
    expect(profile.thresholds).toEqual(['success >= 0.5', 'surge: p99 < 90s']);
  });

  it('fills defaults: target mock, speed 1, the M/M/c mock', () => {
    const profile = parseProfile('phases: [ "a:10s:5" ]\n', 'p.yaml', 'p');
    expect(profile).toMatchObject({ name: 'p', target: 'mock', speed: 1, seed: 1, faults: [], thresholds: [] });
    expect(profile.client.timeoutMs).toBe(30_000);
  });

  it('accepts JSON', () => {
    const profile = parseProfile('{"name": "j", "phases": [{"name": "a", "duration": "1s", "rate": 5}]}', 'p.json', 'p');
    expect(profile.phases[0]).toMatchObject({ name: 'a', durationMs: 1000, from: 5 });
  });

  it('reports every problem at once, each with its line and path', () => {
    const found = problems(`name: broken
speed: -1
client:
  timeout: 5 minutes
  retries: { max: 2, backof: none }
phases:
  - { name: ok, duration: 10s, rate: 5/s }
  - { name: bad, duration: 10s, rate: fast }
  - { name: zero, duration: 0s, rate: 5 }
  - { name: none, duration: 10s }
mock:
  fleet: { workers: many }
  kueue: { order: fifo }
tresholds: [ "p99 < 1s" ]
`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^profiles\/x\.yaml:2 speed: expected a number from 0.01 to 10000, got -1$/),
        expect.stringMatching(/^profiles\/x\.yaml:4 client\.timeout: expected a duration/),
        expect.stringMatching(/^profiles\/x\.yaml:5 client\.retries\.backof: unknown key \(allowed: max, backoff, /),
        expect.stringMatching(/^profiles\/x\.yaml:8 phases\[1\]\.rate: expected a rate .*got "fast"/),
        expect.stringMatching(/^profiles\/x\.yaml:9 phases\[2\]\.duration: expected a duration above zero/),
        expect.stringMatching(/^profiles\/x\.yaml:10 phases\[3\]: expected a rate .* or vus/),
        expect.stringMatching(/^profiles\/x\.yaml:12 mock\.fleet\.workers: expected a whole number/),
        expect.stringMatching(/^profiles\/x\.yaml:13 mock\.kueue: unknown key/),
        expect.stringMatching(/^profiles\/x\.yaml:14 tresholds: unknown key/),
      ]),
    );
    expect(found).toHaveLength(9);
  });

  it('names missing required fields and wrong types', () => {
    expect(problems('name: nothing\n')).toEqual([expect.stringMatching(/^profiles\/x\.yaml:1 phases: missing/)]);
    expect(problems('phases: "a:1s:5"\n')).toEqual([expect.stringMatching(/^profiles\/x\.yaml:1 phases: expected a list, got "a:1s:5"$/)]);
    expect(problems('phases: [ { name: a, duration: 1s, rate: 5 } ]\nseed: 1.5\n')).toEqual([expect.stringMatching(/:2 seed: expected a whole number/)]);
  });

  it('rejects unknown faults and bad fault parameters with their path', () => {
    const found = problems(`phases: [ "a:1m:5" ]
faults:
  - { at: 10s, fault: shrink-fleet, workers: -3 }
  - { at: 20s, fault: melt-datacenter }
  - { at: soon, fault: break-monitor }
`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^profiles\/x\.yaml:3 faults\[0\]\.workers: /),
        expect.stringMatching(/^profiles\/x\.yaml:4 faults\[1\]\.fault: unknown fault "melt-datacenter"/),
        expect.stringMatching(/^profiles\/x\.yaml:5 faults\[2\]\.at: expected a duration/),
      ]),
    );
  });

  it('rejects thresholds that do not parse or name a phase that does not exist', () => {
    expect(problems('phases: [ "a:1m:5" ]\nthresholds: [ "p98 < 1s" ]\n')).toEqual([expect.stringMatching(/:2 thresholds\[0\]: .*unknown metric "p98"/)]);
    expect(problems('phases: [ "a:1m:5" ]\nthresholds: [ "surge: p99 < 1s" ]\n')).toEqual([expect.stringMatching(/:2 thresholds\[0\]: .*no phase "surge"/)]);
  });

  it('reports YAML syntax errors with their line', () => {
    const found = problems('phases:\n  - a:1s:5\n  bad: [\n');
    expect(found[0]).toMatch(/^profiles\/x\.yaml:3 All mapping items must start at the same column/);
  });

  it('reads a request mix, shares as ratios or percentages', () => {
    const profile = parseProfile(
      'request:\n  mix:\n    - { name: priority, share: 20%, headers: { x-priority: high } }\n    - { name: standard, share: 0.8, path: /b }\nphases: [ "a:1s:5" ]\nthresholds: [ "@priority: success >= 99%" ]\n',
      'profiles/x.yaml',
      'x',
    );
    expect(profile.request.mix).toEqual([
      { name: 'priority', share: 0.2, headers: { 'x-priority': 'high' } },
      { name: 'standard', share: 0.8, path: '/b' },
    ]);
  });

  it('rejects a bad request mix: every problem with its path and line', () => {
    const found = problems(`phases: [ "a:1s:5" ]
request:
  mix:
    - { name: priority, share: 0.3, colour: red }
    - { name: priority, share: 0 }
    - { name: "no spaces", share: 0.5, path: b }
thresholds: [ "@batch: success > 0.5" ]
`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^profiles\/x\.yaml:4 request\.mix\[0\]\.colour: unknown key/),
        expect.stringMatching(/^profiles\/x\.yaml:5 request\.mix\[1\]\.share: expected a share above 0 and at most 1/),
        expect.stringMatching(/^profiles\/x\.yaml:6 request\.mix\[2\]\.name: expected a name of letters/),
        expect.stringMatching(/^profiles\/x\.yaml:6 request\.mix\[2\]\.path: expected a path starting with "\/"/),
      ]),
    );
    expect(problems('phases: [ "a:1s:5" ]\nrequest: { mix: [ { name: a, share: 0.5 }, { name: a, share: 0.5 } ] }\n')).toEqual([
      expect.stringMatching(/request\.mix\[1\]\.name: class name "a" is used twice/),
    ]);
    expect(problems('phases: [ "a:1s:5" ]\nrequest: { mix: [ { name: a, share: 0.5 }, { name: b, share: 0.4 } ] }\n')).toEqual([
      expect.stringMatching(/:2 request\.mix: expected shares that add up to 1 \(within 0\.2%\), got 0\.9/),
    ]);
    expect(problems('phases: [ "a:1s:5" ]\nrequest: { mix: [ { name: a, share: 1 } ] }\nthresholds: [ "@b: success > 0.5" ]\n')).toEqual([
      expect.stringMatching(/:3 thresholds\[0\]: .*no class "b" in this run: expected one of a/),
    ]);
  });

  it('header names: any case, kept lower-case; invalid names and one name given twice are errors', () => {
    const profile = parseProfile(
      'request: { headers: { X-Team: load }, mix: [ { name: a, share: 1, headers: { X-Priority: high } } ] }\nphases: [ "a:1s:5" ]\n',
      'profiles/x.yaml',
      'x',
    );
    expect(profile.request.headers).toEqual({ 'x-team': 'load' });
    expect(profile.request.mix![0]!.headers).toEqual({ 'x-priority': 'high' });
    const found = problems(`phases: [ "a:1s:5" ]
request:
  headers: { X-Team: a, x-team: b }
  mix:
    - { name: a, share: 1, headers: { "x priority": high } }
`);
    expect(found).toEqual([
      expect.stringMatching(/:3 request\.headers: expected each header once; "X-Team" and "x-team" are the same header \(names are case-insensitive\)/),
      expect.stringMatching(/:5 request\.mix\[0\]\.headers: expected an HTTP header name such as "x-priority", got "x priority"/),
    ]);
  });

  it('a key written twice in one mapping is an error, found in one pass (at any depth)', () => {
    expect(problems('phases: [ "a:1s:5" ]\nseed: 1\nseed: 2\n')).toEqual([
      expect.stringMatching(/^profiles\/x\.yaml:3 "seed": the same key twice in one mapping$/),
    ]);
    expect(problems('phases: [ "a:1s:5" ]\nclient:\n  timeout: 1s\n  timeout: 2s\n')).toEqual([expect.stringMatching(/:4 "timeout": the same key twice/)]);
  });

  it('reports cross-field problems together with field problems', () => {
    const found = problems('speed: -1\nphases: [ "a:1s:5", "a:1s:5" ]\nthresholds: [ "nosuch: p99 < 1s" ]\n');
    expect(found).toEqual([
      expect.stringMatching(/:1 speed: expected a number from 0.01 to 10000/),
      expect.stringMatching(/:2 phases\[1\]\.name: phase name "a" is used twice/),
      expect.stringMatching(/:3 thresholds\[0\]: .*no phase "nosuch"/),
    ]);
  });

  it('rejects faults after the run ends (whether the mock accepts the rest is the preflight’s question)', () => {
    const found = problems(`phases: [ "a:10s:5" ]
faults:
  - { at: 1s, fault: kill-routers, count: 1 }
  - { at: 2s, fault: set, routers.count: 2 }
  - { at: 3s, fault: kill-routers, count: 1 }
  - { at: 30s, fault: shrink-fleet, workers: 1 }
`);
    expect(found).toEqual([expect.stringMatching(/:6 faults\[3\]\.at: expected a time before the run ends \(its phases end at 10s\)/)]);
  });

  it('accepts the field-by-field example of docs/profile-format.md as written', () => {
    const page = readFileSync(new URL('../../docs/profile-format.md', import.meta.url), 'utf8');
    const section = page.slice(page.indexOf('## Field by field'));
    const yaml = /```yaml\n([\s\S]*?)\n```/.exec(section)![1]!;
    const profile = parseProfile(yaml, 'docs/profile-format.md', 'example');
    expect(profile.faults).toHaveLength(2);
    expect(profile.client).toMatchObject({ expectedStatuses: '200-299', redirects: 0, tls: { insecure: false } });
  });

  it('rejects duplicate phase names', () => {
    expect(problems('phases: [ "a:1s:5", "a:1s:5" ]\n')).toEqual([expect.stringMatching(/:1 phases\[1\]\.name: phase name "a" is used twice/)]);
  });
});
