import { defineConfig } from 'vitest/config';

// The fidelity test (virtual runs against HTTP runs of every bundled profile) compresses hours of an
// outage into seconds over real sockets (speed 600: a millisecond of wall time is ten seconds of the
// incident), so a busy core reads as a slow generator and moves its HTTP runs' numbers. Its bands allow
// for a busy host, but it runs after everything else, alone, so that it is not itself the load that
// slows the rest; the rest runs two files at a time. The replays' shapes are checked in virtual time
// (test/e2e/replays.test.ts), which no load moves. The browser tests (headless Chromium) come last.
const FIDELITY = 'test/e2e/fidelity-virtual-http.test.ts';
// The generator's timing from t0 (the first second against the rest, a 100-class mix included) is judged
// alone too: beside another file on two cores, that file's processes take the core the generator's first
// second needs (a clean-clone run saw a 50 ms p95 there once, which the same test alone never shows).
const ON_SCHEDULE = 'test/e2e/on-schedule-from-t0.test.ts';
const BROWSER = 'test/browser/**/*.test.ts';

export default defineConfig({
  test: {
    // Two cores: end-to-end tests drive real sockets and timers, so keep at most two files at once.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: [FIDELITY, ON_SCHEDULE, BROWSER], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'on-schedule', include: [ON_SCHEDULE], sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'fidelity', include: [FIDELITY], sequence: { groupOrder: 2 } } },
      { extends: true, test: { name: 'browser', include: [BROWSER], sequence: { groupOrder: 3 } } },
    ],
  },
});
