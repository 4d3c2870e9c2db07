// Runs a plan end to end: starts the bundled mock when the target is "mock" (in its own process),
// drives the load, and always stops the mock again — at the end, on interrupt, on error.
import { underTarget } from '../dispatch/request-mix.js';
import { startMock, type RunningMock } from '../mock/launch.js';
import { RESULT_SCHEMA, type RunResult } from '../report/result.js';
import { evaluateThresholds } from '../threshold/evaluate.js';
import { toolVersion } from '../version.js';
import { LoadRun, type RunProgress } from './load-run.js';
import { MockCompanion } from './mock-companion.js';
import type { RunPlan } from './plan.js';

export interface RunHandle {
  /** Resolves with the result, partial when interrupted. */
  readonly result: Promise<RunResult>;
  /** Stop sending, settle what is in flight briefly, and resolve with what was measured. */
  interrupt(): void;
  /** Live numbers; undefined until the load has started. */
  progress(): RunProgress | undefined;
}

export function startRun(plan: RunPlan): RunHandle {
  let run: LoadRun | undefined;
  let interrupted = false;
  const result = (async (): Promise<RunResult> => {
    let mock: RunningMock | undefined;
    let companion: MockCompanion | undefined;
    try {
      let origin: string;
      let request = plan.client.request;
      if (plan.target === 'mock') {
        mock = await startMock({ config: plan.mock, speed: plan.speed, seed: plan.seed });
        origin = mock.url;
        companion = new MockCompanion(mock.controlUrl, mock.token, plan.faults);
      } else {
        const url = new URL(plan.target);
        origin = url.origin;
        request = underTarget(request, url);
      }
      run = new LoadRun({ origin, phases: plan.phases, speed: plan.speed, seed: plan.seed, client: { ...plan.client, request } }, companion);
      const pending = run.run();
      if (interrupted) run.interrupt();
      const measured = await pending;
      const faults =
        plan.target === 'mock'
          ? measured.faults
          : plan.faults.map((f) => ({ at: f.at, fault: f.fault, params: f.params, error: 'faults need the bundled mock (no --target)' }));
      return {
        schema: RESULT_SCHEMA,
        tool: { name: 'incident-load', version: toolVersion() },
        profile: {
          name: plan.name,
          speed: plan.speed,
          seed: plan.seed,
          target: plan.target === 'mock' ? `mock (${origin})` : plan.target,
          arrivals: plan.client.arrivals,
          ...(request.mix ? { mix: [...request.mix] } : {}),
        },
        startedAt: measured.startedAt,
        wallMs: measured.wallMs,
        plannedMs: plan.phases.reduce((sum, p) => sum + p.durationMs, 0),
        interrupted: measured.interrupted,
        phases: measured.phases,
        total: measured.total,
        timeline: measured.timeline,
        faults,
        thresholds: evaluateThresholds(plan.thresholds, measured),
      };
    } finally {
      await companion?.close().catch(() => {});
      await mock?.stop();
    }
  })();
  return {
    result,
    interrupt() {
      interrupted = true;
      run?.interrupt();
    },
    progress: () => run?.progress(),
  };
}
