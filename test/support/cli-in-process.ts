// The CLI's own code (src/cli/program.ts) run in this process, for checks of bad input that would
// otherwise spend half a second each starting Node: what it prints and the exit code it returns. A run
// that should have been refused but was not would start here for real (short phases keep that bounded).
import { runCli as run } from '../../src/cli/program.js';
import type { CliResult } from './cli.js';

export async function runCliInProcess(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  // As a stream does: a write's callback (given last) is called once it is written.
  const capture =
    (into: (text: string) => void) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      into(chunk.toString());
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (done) process.nextTick(done);
      return true;
    };
  process.stdout.write = capture((text) => (stdout += text)) as typeof process.stdout.write;
  process.stderr.write = capture((text) => (stderr += text)) as typeof process.stderr.write;
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    const code = await run(['node', 'incident-load', ...args]);
    return { code: code ?? (process.exitCode as number | undefined) ?? 0, signal: null, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = exitCode;
  }
}
