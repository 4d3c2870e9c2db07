// The commander program. Each command lives in its own file and returns a Command; this file only wires
// them together and turns errors into exit codes (2 for bad input, 1 for anything unexpected).
import { Command, CommanderError } from 'commander';
import { UsageError } from '../core/errors.js';
import { toolVersion } from '../core/version.js';
import { rampCommand } from './ramp.js';
import { validateCommand } from './validate.js';
import { profilesCommand } from './profiles.js';
import { compareCommand } from './compare.js';
import { sweepCommand } from './sweep.js';
import { mockCommand } from './mock.js';
import { faultCommand } from './fault.js';
import { proxyCommand } from './proxy.js';
import { mergeCommand } from './merge.js';
import { reportCommand } from './report.js';
import { collectCommand } from './collect.js';
import { k8sCommand } from './k8s.js';
import { print } from './terminal.js';

export function buildProgram(): Command {
  const program = new Command('incident-load')
    .description('Chaos and load testing: traffic ramps, a simulated backend with live faults, outage replays.')
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(rampCommand());
  program.addCommand(profilesCommand());
  program.addCommand(validateCommand());
  program.addCommand(compareCommand());
  program.addCommand(sweepCommand());
  program.addCommand(mergeCommand());
  program.addCommand(reportCommand());
  program.addCommand(collectCommand());
  program.addCommand(k8sCommand());
  program.addCommand(mockCommand());
  program.addCommand(faultCommand());
  program.addCommand(proxyCommand());
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
  const program = buildProgram();
  try {
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
