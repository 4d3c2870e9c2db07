// Entry point of bin/incident-load.js. Stop signals are taken over first, before the heavy modules load,
// so that Ctrl-C during start-up gets an answer instead of killing the process without a word.
import { installSignals } from './signals.js';

installSignals();

// A reader that stops early (`--json - | head`) closes the pipe, and a closed terminal (SIGHUP) fails
// writes with EIO: what was not read is not a failure of the run, whose exit code must stay what it is.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'EIO') throw err;
  });
}

const { runCli } = await import('./program.js');
const code = await runCli(process.argv);
if (code !== undefined) process.exitCode = code;
