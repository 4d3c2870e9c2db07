// `incident-load validate <file>`: check a profile without running it; every problem at once, with its line,
// then the plan it makes, its faults tried on the mock's model (the preflight ramp runs too).
import { Command } from 'commander';
import { loadProfile } from '../profile/load.js';
import { buildRunPlan } from '../run/plan.js';
import { describeProfile } from '../report/profile-summary.js';
import { print } from './terminal.js';

export function validateCommand(): Command {
  return new Command('validate')
    .description('check a profile (path or bundled name): every problem at once, with its line and path')
    .argument('<profile>', 'path to a .yaml/.json profile, or a bundled name')
    .action((ref: string) => {
      // ${env.NAME} need not be set to check a profile: they are resolved when it runs.
      const profile = loadProfile(ref, { env: 'placeholder' });
      // A profile for the proxy in front of any service (`target: { proxy: true }`) gets its URL from
      // --target when it runs; any URL does to check the rest. Faults with a URL target and no proxy are
      // applied by a mock's or proxy's --control when the profile runs (checked against its catalogue then).
      const url = profile.target !== 'mock' && !profile.proxy && profile.faults.length > 0;
      buildRunPlan(
        profile,
        profile.proxy && profile.target === 'mock'
          ? { target: 'http://127.0.0.1/' }
          : url
            ? { control: { url: 'http://127.0.0.1/', token: undefined, tokenSource: 'validate' } }
            : {},
      );
      const env = profile.env?.names.length ? `references ${profile.env.names.map((n) => `\${env.${n}}`).join(', ')}: set when it runs\n` : '';
      print(process.stdout, `${profile.source}: ok\n${env}${describeProfile(profile)}\n`);
    });
}
