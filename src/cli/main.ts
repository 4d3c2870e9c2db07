// Entry point of bin/incident-load.js. Stop signals are taken over first (from the launcher's), before the
// heavy modules load, so that Ctrl-C during start-up gets an answer instead of killing the process without
// a word.
import { installSignals } from './signals.js';

installSignals();

// A failed write to stdout or stderr is never a stack trace: a reader that stops early (`--json - | head`)
// or a closed terminal (SIGHUP, EIO) is not a failure of the run, whose exit code stays what it is; a
// full disk behind stdout is (exit 3, said on stderr), and the result writers keep their text in a
// private temporary file (output-file.ts).
const { guardStdio, stdoutLostMessage } = await import('./output-file.js');
guardStdio();
process.on('exit', (code) => {
  const message = stdoutLostMessage();
  if (message === undefined) return;
  process.stderr.write(`incident-load: ${message}\n`);
  if (code === 0 || code === 1) process.exitCode = 3;
});

const { runCli } = await import('./program.js');
const code = await runCli(process.argv);
if (code !== undefined) process.exitCode = code;
