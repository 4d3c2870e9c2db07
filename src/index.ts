// The library API: everything the CLI does, callable from code. The CLI (src/cli/) is a thin shell
// over these.
export { loadProfile, parseProfile, bundledProfiles, ProfileError } from './profile/load.js';
export type { Profile, ClientSettings, RequestSettings, RequestClass, RetrySettings, FaultSpec } from './profile/profile.js';
export { buildRunPlan, type RunPlan, type RunOverrides } from './run/plan.js';
export { startRun, type RunHandle } from './run/start-run.js';
export { startMock, type RunningMock, type MockExit } from './mock/launch.js';
export { createMock } from './mock/mock.js';
export { defaultMockConfig, applyMockOverride, mockConfigSchema, type MockConfig } from './mock/config/index.js';
export { validateFault, faultNames } from './mock/faults/index.js';
export type { MockState } from './mock/mock.js';
export { ArrivalSchedule } from './schedule/arrival-schedule.js';
export type { Phase, OpenPhase, ClosedPhase } from './schedule/phase.js';
export { renderRunReport } from './report/text/run-report.js';
export { RESULT_SCHEMA, type RunResult, type RunFailure, type PhaseResult, type TimelineWindow } from './result/run-result.js';
export { parseThreshold, type Threshold } from './threshold/parse.js';
export { evaluateThresholds } from './threshold/evaluate.js';
