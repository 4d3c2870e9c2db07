#!/usr/bin/env node
// Tiny launcher: everything lives in dist/ (built by `npm install` through the `prepare` script).
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist')) {
    process.stderr.write('incident-load: dist/ is missing; run `npm install` (or `npm run build`) first.\n');
    process.exit(2);
  }
  throw err;
});
