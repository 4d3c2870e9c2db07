import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// The replays compress hours of an outage into seconds (speed 600: a millisecond of wall time is ten
// seconds of the incident), so a busy core reads as a slow generator and moves their numbers. They run
// last, alone, after everything else; the rest runs two files at a time. The browser tests (headless
// Chromium) come after them, one file at a time: the reports, then the replays' reports.
const REPLAYS = 'test/e2e/replays.test.ts';
const BROWSER = 'test/browser/**/*.test.ts';
const BROWSER_REPLAYS = 'test/browser/replays.test.ts';
// Where the replays' results go (test/e2e/replays.test.ts writes them, at speeds they hold at), for the
// replays' HTML reports to draw (test/browser/replays.test.ts, which runs them itself when run alone):
// one directory for this `vitest run`, in the environment its test processes inherit.
process.env.INCIDENT_LOAD_TEST_REPLAYS ??= mkdtempSync(join(tmpdir(), 'incident-load-replay-results-'));

export default defineConfig({
  test: {
    // Two cores: end-to-end tests drive real sockets and timers, so keep at most two files at once.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: [REPLAYS, BROWSER], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'replays', include: [REPLAYS], sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'browser', include: [BROWSER], exclude: [BROWSER_REPLAYS], sequence: { groupOrder: 2 } } },
      { extends: true, test: { name: 'browser-replays', include: [BROWSER_REPLAYS], sequence: { groupOrder: 3 } } },
    ],
  },
});
