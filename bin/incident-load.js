#!/usr/bin/env node
// Stop signals first, before anything else is loaded: until a handler is installed, Ctrl-C (or a
// SIGTERM, a SIGHUP) kills Node without a word. This answers one during start-up as the CLI does (exit
// 130, with a message); dist/cli/signals.js takes over from it (the command's own handling) once loaded.
// What is left before this line is Node's own start-up (docs/limits.md, "Signals"). This file is CommonJS
// (bin/package.json): Node runs a CommonJS entry's first line sooner than an ES module's, whose loader it
// sets up first.
const early = (signal) => {
  process.stderr.write(`\nincident-load: ${signal} before anything was measured: stopped\n`);
  process.exit(130);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, early);
globalThis[Symbol.for('incident-load.early-stop')] = early;

// Tiny launcher: everything lives in dist/ (built by `npm install` through the `prepare` script).
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist')) {
    process.stderr.write('incident-load: dist/ is missing; run `npm install` (or `npm run build`) first.\n');
    process.exit(2);
  }
  throw err;
});
