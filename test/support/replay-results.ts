// The replays' results, shared between the test that runs them (test/e2e/replays.test.ts) and the one
// that draws their reports (test/browser/replays.test.ts): one directory per `vitest run`, made by
// vitest.config.ts and named in INCIDENT_LOAD_TEST_REPLAYS, so a report is of this run's replays and
// never of an older one's.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The speeds the replays are run at: each as fast as its shapes hold (test/e2e/replays.test.ts checks them). */
export const REPLAY_SPEEDS: Readonly<Record<string, number>> = {
  'dalle-2023-03': 600,
  'dalle-2023-03-remediated': 600,
  'api-2023-11': 300,
  'api-2023-11-remediated': 300,
  'retry-storm': 20,
  'retry-storm-remediated': 20,
};

/** This run's directory of replay results (a fresh one when the config gave none). */
export const replayResultsDir: string = process.env.INCIDENT_LOAD_TEST_REPLAYS ?? mkdtempSync(join(tmpdir(), 'incident-load-replay-results-'));

/** A replay's saved result from this run, or undefined when it has not run (yet). */
export function savedReplay(profile: string): string | undefined {
  const file = join(replayResultsDir, `${profile}.json`);
  return existsSync(file) ? file : undefined;
}
