// The import boundaries are a lint rule (eslint.boundaries.js), run by npm test; these check that the rule
// itself says what ARCHITECTURE.md says: an import that runs back up the layers, or into the mock's model
// from the load side, is an error; the allowed ones are not.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaries } from '../../eslint.boundaries.js';

const eslint = new ESLint({
  cwd: new URL('../..', import.meta.url).pathname,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaries],
});

/** The boundary errors for `code` as if it were the file at `path` (relative to the repository). */
async function violations(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['src/record/timeline.ts', "import { renderRunReport } from '../report/text/run-report.js';", 'record -> report (back up the pipeline)'],
    ['src/core/units.ts', "import type { RunResult } from '../result/run-result.js';", 'core -> result'],
    ['src/result/schema.ts', "import { PhaseRecorder } from '../record/phase-recorder.js';", 'result -> record'],
    ['src/dispatch/attempt.ts', "import { RunRecorder } from '../record/run-recorder.js';", 'dispatch -> record'],
    ['src/report/text/header.ts', "import { startRun } from '../../run/start-run.js';", 'report -> run'],
    ['src/profile/load.ts', "import { UsageError } from '../cli/usage-error.js';", 'profile -> cli'],
    ['src/profile/schema.ts', "import { SimulatedService } from '../mock/model/simulated-service.js';", 'the load side -> the mock model'],
    ['src/report/profile-summary.ts', "import { createMock } from '../mock/mock.js';", 'the load side -> the mock server'],
    ['src/run/plan.ts', "import { FaultInjector } from '../mock/faults/injector.js';", 'run -> the mock internals'],
    ['src/mock/model/fleet.ts', "import type { RunResult } from '../../result/run-result.js';", 'the mock -> the load side'],
    ['src/proxy/traffic.ts', "import { SimulatedService } from '../mock/model/simulated-service.js';", 'the proxy -> the mock model'],
    ['src/proxy/traffic.ts', "import type { RunResult } from '../result/run-result.js';", 'the proxy -> the load side'],
    ['src/mock/server.ts', "import { Effects } from '../proxy/effects.js';", 'the mock -> the proxy'],
    ['src/run/start-run.ts', "import { createProxy } from '../proxy/proxy.js';", 'run -> the proxy internals'],
    ['src/profile/schema.ts', "import { Effects } from '../proxy/effects.js';", 'the load side -> the proxy internals'],
  ])('%s: %s is refused (%s)', async (path, code) => {
    expect(await violations(path, code)).toHaveLength(1);
  });

  it.each([
    ['src/record/timeline.ts', "import type { TimelineWindow } from '../result/run-result.js';"],
    ['src/report/text/phase-table.ts', "import { formatDuration } from '../../core/units.js';"],
    ['src/profile/schema.ts', "import { mockConfigSchema } from '../mock/config/index.js';"],
    ['src/profile/fault-spec.ts', "import { validateFault } from '../mock/faults/registry.js';"],
    ['src/run/control-client.ts', "import { CONTROL_API_HEADER } from '../mock/control-api.js';"],
    ['src/run/start-run.ts', "import { startMock } from '../mock/launch.js';"],
    ['src/run/preflight.ts', "import { dryRunFaults } from '../mock/faults/dry-run.js';"],
    ['src/cli/mock.ts', "import { createMock } from '../mock/mock.js';"],
    ['src/mock/model/fleet.ts', "import { Random } from '../../core/random.js';"],
    ['src/proxy/proxy.ts', "import { createControlServer } from '../mock/control.js';"],
    ['src/proxy/proxy.ts', "import { refusal } from '../mock/control-guard.js';"],
    ['src/run/start-run.ts', "import { startProxy } from '../proxy/launch.js';"],
    ['src/profile/fault-spec.ts', "import { validateProxyFault } from '../proxy/faults/registry.js';"],
    ['src/cli/proxy.ts', "import { createProxy } from '../proxy/proxy.js';"],
  ])('%s: %s is allowed', async (path, code) => {
    expect(await violations(path, code)).toEqual([]);
  });
});
