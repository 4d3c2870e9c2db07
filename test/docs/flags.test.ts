// The flags the CLI has and the flags the docs document are the same: each command's --help (from the
// built CLI, one process per command) against the flag tables of docs/commands.md; and every
// `incident-load <command> ...` line anywhere in the docs uses only flags that command has.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pages, read, ROOT } from './pages.js';

const COMMANDS = ['ramp', 'compare', 'merge', 'profiles', 'validate', 'mock', 'fault'] as const;
type CommandName = (typeof COMMANDS)[number];
/** Every command has these; the docs say so once rather than in every table. */
const COMMON = new Set(['-h', '--help']);

const FLAG = /(?<![\w-])--?[a-zA-Z][\w-]*/g;

/** The flags in the "Options:" section of commander's help: lines indented by two, starting with "-". */
export function helpFlags(help: string): string[] {
  const section = help.split(/^Options:\n/m)[1]?.split(/\n\n/)[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}(-\S(?:.*?))(?: {2,}|$)/.exec(line)?.[1])
    .filter((spec): spec is string => spec !== undefined)
    .flatMap((spec) => spec.match(FLAG) ?? [])
    .filter((flag) => !COMMON.has(flag));
}

/** The flags in the first cell of the tables under "## `incident-load <command>`" of docs/commands.md. */
export function documentedFlags(page: string, command: CommandName): string[] {
  const sections = page.split(/^## /m);
  const section = sections.find((s) => s.startsWith(`\`incident-load ${command}\``)) ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.replace(/\\\|/g, '\u0000').split('|')[1]!)
    .flatMap((cell) => [...cell.matchAll(/`([^`]+)`/g)].flatMap((span) => span[1]!.match(FLAG) ?? []));
}

const sorted = (flags: Iterable<string>): string[] => [...new Set(flags)].sort();

describe('flags', () => {
  const help = new Map<CommandName, string[]>();

  beforeAll(() => {
    for (const command of COMMANDS) {
      const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'incident-load.js'), command, '--help'], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 20_000,
      });
      if (run.status !== 0) throw new Error(`incident-load ${command} --help exited ${run.status}: ${run.stderr} (is dist/ built? npm run build)`);
      help.set(command, helpFlags(run.stdout));
    }
  });

  it('reads the options of a help text', () => {
    const text =
      'Usage: x\n\nOptions:\n  -t, --target <url>   send\n                       --not-a-flag on a wrapped line\n  --no-color           no colour\n  -h, --help           help\n\nExamples:\n  --nope\n';
    expect(helpFlags(text)).toEqual(['-t', '--target', '--no-color']);
  });

  for (const command of COMMANDS) {
    it(`of ${command}: every one in --help is in docs/commands.md, and every one there is in --help`, () => {
      const documented = sorted(documentedFlags(read('docs/commands.md'), command));
      const actual = sorted(help.get(command)!);
      expect({ missingFromDocs: actual.filter((f) => !documented.includes(f)), notInCli: documented.filter((f) => !actual.includes(f)) }).toEqual({
        missingFromDocs: [],
        notInCli: [],
      });
    });
  }

  it('are read from --help at all (ramp has two dozen)', () => {
    expect(help.get('ramp')!.length).toBeGreaterThan(20);
  });

  it('in every incident-load command line of the docs exist for that command', () => {
    const unknown: string[] = [];
    const line = /(?:^|[\s`$(])incident-load (ramp|compare|profiles|validate|mock|fault)\b([^`\n]*)/g;
    for (const page of pages()) {
      for (const m of read(page).matchAll(line)) {
        const command = m[1] as CommandName;
        // The command ends where the shell or a comment takes over.
        const args = m[2]!.split(/\s(?:\||;|#|&&|>)\s|;/)[0]!;
        const known = new Set([...help.get(command)!, ...COMMON]);
        for (const flag of args.match(/(?<=^|\s)--?[a-zA-Z][\w-]*/g) ?? []) {
          if (!known.has(flag)) unknown.push(`${page}: incident-load ${command} ${flag}`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });
});
