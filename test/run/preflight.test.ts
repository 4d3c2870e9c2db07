// The preflight: the plan's faults tried once on the mock's own model, as the run will configure it, in
// virtual time from fault to fault. A fault the running mock would refuse is bad input before the run.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { parseProfile, ProfileError } from '../../src/profile/load.js';
import { buildRunPlan, type RunOverrides } from '../../src/run/plan.js';
import { parseFaultSpec } from '../../src/profile/fault-spec.js';

const PROFILE = `phases: [ "a:10s:5" ]
faults:
  - { at: 1s, fault: kill-routers, count: 1 }
  - { at: 2s, fault: set, routers.count: 2 }
  - { at: 3s, fault: kill-routers, count: 1 }
`;

function planProblem(text: string, overrides: RunOverrides = {}): Error {
  try {
    buildRunPlan(parseProfile(text, 'profiles/x.yaml', 'x'), overrides);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the plan to be refused');
}

describe('preflight', () => {
  it('refuses a profile fault the mock would refuse at its time, with its line; a later one, once routers are on, is fine', () => {
    const err = planProblem(PROFILE);
    expect(err).toBeInstanceOf(ProfileError);
    expect((err as ProfileError).problems).toEqual([
      expect.stringMatching(
        /^profiles\/x\.yaml:3 faults\[0\]: the mock would refuse it at 1s: kill-routers: needs router nodes, but the routers section is off$/,
      ),
    ]);
  });

  it('tries the faults on the mock as --mock configures it, and names a --fault as such', () => {
    const ok = PROFILE.replace(/ {2}- \{ at: 1s.*\n/, '');
    expect(() => buildRunPlan(parseProfile(ok, 'x.yaml', 'x'))).not.toThrow();
    const early = { faults: [parseFaultSpec('1s:kill-routers:count=1')] };
    const err = planProblem(ok, early);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(/^--fault kill-routers: the mock would refuse it at 1s: kill-routers: needs router nodes/);
    // With --mock turning routers on from the start, the same fault is fine.
    expect(() => buildRunPlan(parseProfile(ok, 'x.yaml', 'x'), { ...early, mock: [['routers.count', '3']] })).not.toThrow();
  });

  it('against a URL nobody would apply the faults: refused, unless --skip-faults; the mock is not consulted either way', () => {
    const profile = parseProfile(
      'target: "http://127.0.0.1:1/"\nphases: [ "a:10s:5" ]\nfaults: [ { at: 1s, fault: kill-routers, count: 1 } ]\n',
      'x.yaml',
      'x',
    );
    expect(() => buildRunPlan(profile)).toThrow(/the profile's faults \(x\.yaml:3: fault kill-routers\) need the bundled mock .* or give --skip-faults/);
    expect(buildRunPlan(profile, { skipFaults: true }).skipFaults).toBe(true);
    // A mock at --control applies them (its own catalogue is asked when the run starts).
    expect(() => buildRunPlan(profile, { control: { url: 'http://127.0.0.1:2', token: 't', tokenSource: 'test' } })).not.toThrow();
  });
});
