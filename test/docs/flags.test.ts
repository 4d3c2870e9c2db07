// The flags the CLI has and the flags the docs document are the same: each command's --help (the CLI's
// code run in this process, as runCliInProcess does for bad input: a Node start-up per command cost half a
// second each) against the flag tables of docs/commands.md; and every `incident-load <command> ...` line
// anywhere in the docs uses only flags that command has.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli-in-process.js';
import { pages, read } from './pages.js';

type CommandName = string;
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

/** The commands in the "Commands:" section of the top-level help (commander's own `help` left out). */
export function helpCommands(help: string): string[] {
  const section = help.split(/^Commands:\n/m)[1]?.split(/\n\n/)[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}([a-z][\w-]*)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'help');
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

async function helpOf(...args: string[]): Promise<string> {
  const run = await runCliInProcess([...args, '--help']);
  if (run.code !== 0) throw new Error(`incident-load ${args.join(' ')} --help exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

// Every command the CLI lists, so that a new command cannot land without its section in the docs.
const COMMANDS = helpCommands(await helpOf());

describe('flags', () => {
  const help = new Map<CommandName, string[]>();

  beforeAll(async () => {
    for (const command of COMMANDS) help.set(command, helpFlags(await helpOf(command)));
  });

  it('are checked for every command the CLI lists', () => {
    expect(COMMANDS).toEqual(expect.arrayContaining(['ramp', 'compare', 'merge', 'profiles', 'validate', 'mock', 'fault']));
  });

  it('reads the commands of the top-level help', () => {
    const text =
      'Usage: x\n\nCommands:\n  ramp [options] [profile]   run\n                             wrapped\n  merge <shards...>   merge\n  help [command]  help\n';
    expect(helpCommands(text)).toEqual(['ramp', 'merge']);
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
    const line = new RegExp(`(?:^|[\\s\`$(])incident-load (${COMMANDS.join('|')})\\b([^\`\\n]*)`, 'g');
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
