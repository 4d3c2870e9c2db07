// Entry point of bin/incident-load.js.
import { runCli } from './program.js';

// A reader that stops early (`--json - | head`) closes the pipe: what it did not read is not a failure
// of the run, whose exit code (thresholds, bad input, interrupt) must stay what it is.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

const code = await runCli(process.argv);
if (code !== undefined) process.exitCode = code;
