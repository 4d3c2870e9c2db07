// The commander program. Each command lives in its own file and returns a Command; this file only wires
// them together and turns errors into exit codes (2 for bad input, 1 for anything unexpected).
//
// Commands are loaded lazily: `incident-load <command> …` imports only that command's file (and what it
// imports), so that a command does not pay for the modules of the eleven others. Anything else (no
// command, `--help`, `help <command>`, an unknown or misspelt command) loads them all, so that the
// top-level help, commander's "Did you mean …?" and its errors are what they always were; `--version`
// loads none.
import { Command, CommanderError } from 'commander';
import { UsageError } from '../core/errors.js';
import { toolVersion } from '../core/version.js';
import { print } from './terminal.js';

/** Each command's name and how to load it, in the order the top-level help lists them. */
export const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  ramp: async () => (await import('./ramp.js')).rampCommand(),
  profiles: async () => (await import('./profiles.js')).profilesCommand(),
  validate: async () => (await import('./validate.js')).validateCommand(),
  compare: async () => (await import('./compare.js')).compareCommand(),
  sweep: async () => (await import('./sweep.js')).sweepCommand(),
  merge: async () => (await import('./merge.js')).mergeCommand(),
  report: async () => (await import('./report.js')).reportCommand(),
  collect: async () => (await import('./collect.js')).collectCommand(),
  k8s: async () => (await import('./k8s.js')).k8sCommand(),
  mock: async () => (await import('./mock.js')).mockCommand(),
  fault: async () => (await import('./fault.js')).faultCommand(),
  proxy: async () => (await import('./proxy.js')).proxyCommand(),
};

/**
 * The commands `argv` (as process.argv: node, script, args…) needs: the one it names when its first
 * argument is a command's name — commander then dispatches to that command whatever its siblings are —,
 * none for a first argument of `-V` or `--version` — commander prints the version as it reads it, before
 * it looks at anything after —, and every command otherwise.
 */
export function commandsFor(argv: readonly string[]): string[] {
  const first = argv[2];
  if (first === '-V' || first === '--version') return [];
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [first];
  return Object.keys(COMMANDS);
}

/** The program with the commands named (all of them unless told), loaded. */
export async function buildProgram(names: readonly string[] = Object.keys(COMMANDS)): Promise<Command> {
  const program = new Command('incident-load')
    .description('Chaos and load testing: traffic ramps, a simulated backend with live faults, outage replays.')
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const command of await Promise.all(names.map((name) => COMMANDS[name]!()))) program.addCommand(command);
  // Subcommands made on their own do not inherit these; without exitOverride commander would exit(1)
  // on a usage error instead of letting us map it to exit code 2.
  // Commander echoes what was typed ("unknown option ..."): through terminalSafe like everything printed.
  const output = { writeOut: (text: string) => print(process.stdout, text), writeErr: (text: string) => print(process.stderr, text) };
  program.configureOutput(output);
  for (const command of program.commands) command.exitOverride().showHelpAfterError('(run with --help for usage)').configureOutput(output);
  return program;
}

/** Runs the CLI and resolves to the exit code; commands set `process.exitCode` themselves for 0/1/130. */
export async function runCli(argv: string[]): Promise<number | undefined> {
  try {
    const program = await buildProgram(commandsFor(argv));
    await program.parseAsync(argv);
    return undefined;
  } catch (err) {
    return exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version arrive here too, with exit code 0; commander already printed the message.
    if (err.exitCode === 0) return 0;
    return 2;
  }
  if (err instanceof UsageError) {
    print(process.stderr, `incident-load: ${err.message}\n`);
    return 2;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  print(process.stderr, `incident-load: unexpected error: ${message}\n`);
  return 1;
}
