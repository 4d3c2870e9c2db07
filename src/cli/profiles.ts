// `incident-load profiles [name]`: the bundled profiles with their one-line descriptions, or one in full.
import { Command } from 'commander';
import { bundledProfiles, loadProfile } from '../profile/load.js';
import { describeProfile, listProfiles } from '../report/profile-summary.js';
import { terminalStyle, print } from './terminal.js';

export function profilesCommand(): Command {
  return new Command('profiles')
    .description('list the bundled profiles, or show one with its description, phases and faults')
    .argument('[name]', 'a bundled profile name (or a path)')
    .action((name: string | undefined) => {
      if (name !== undefined) {
        const profile = loadProfile(name, { env: 'placeholder' });
        print(process.stdout, `${describeProfile(profile)}\n`);
        return;
      }
      const profiles = bundledProfiles().map((p) => loadProfile(p.path, { env: 'placeholder' }));
      print(process.stdout, `${listProfiles(profiles, terminalStyle(process.stdout, false).width)}\n`);
    });
}
