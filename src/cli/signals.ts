// Stop signals for the whole CLI: SIGINT (Ctrl-C), SIGTERM, and SIGHUP (the terminal or the ssh session
// went away) all ask the running command to stop and save what it measured; a second one quits at once.
// bin/incident-load.js answers them first of all, before it loads anything; main.ts installs this (which
// replaces the launcher's) before it loads anything heavy, so a signal during start-up gets an answer (exit
// 130, with a message) instead of killing the process without a word; so does one while no command is
// measuring anything (reading a profile, validating, starting up).
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Called for each stop signal with how many have arrived (1: stop and save, 2: quit now). */
export type StopHandler = (signal: StopSignal, count: number) => void;

let count = 0;
let handler: StopHandler | undefined;

/** Where bin/incident-load.js leaves the handler it installs first of all, for this one to replace. */
const EARLY = Symbol.for('incident-load.early-stop');

export function installSignals(): void {
  const early = (globalThis as Record<symbol, unknown>)[EARLY] as ((signal: StopSignal) => void) | undefined;
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => receive(signal));
    if (early) process.removeListener(signal, early);
  }
}

function receive(signal: StopSignal): void {
  count++;
  if (handler) return handler(signal, count);
  process.stderr.write(`\nincident-load: ${signal} before anything was measured: stopped\n`);
  process.exit(130);
}

/** While `handle` is set, stop signals go to it. Returns the function that takes it away again. */
export function onStopSignal(handle: StopHandler): () => void {
  handler = handle;
  count = 0;
  return () => {
    if (handler === handle) handler = undefined;
  };
}
