// Runs a plan end to end: starts the bundled mock when the target is "mock" (in its own process),
// drives the load, and always stops the mock again — at the end, on interrupt, on error. A mock that
// exits or stops answering during the run ends it (result.failure), like an interrupt would.
import { underTarget } from '../dispatch/request-mix.js';
import { startMock, type MockExit, type RunningMock } from '../mock/launch.js';
import { RESULT_SCHEMA, type RunResult } from '../result/run-result.js';
import { evaluateThresholds } from '../threshold/evaluate.js';
import { redactHeaders } from '../core/http-header.js';
import { toolVersion } from '../core/version.js';
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
        companion = new MockCompanion(mock.controlUrl, mock.token, plan.faults, { onUnresponsive: (report) => run?.fail(report) });
      } else {
        const url = new URL(plan.target);
        origin = url.origin;
        request = underTarget(request, url);
      }
      run = new LoadRun({ origin, phases: plan.phases, speed: plan.speed, seed: plan.seed, client: { ...plan.client, request } }, companion);
      const pending = run.run();
      if (interrupted) run.interrupt();
      // After the run is over, our own stop() ends the mock: too late to matter, as fail() knows.
      void mock?.exited.then((exit) => run?.fail({ kind: 'mock-exited', atWall: performance.now(), message: exitMessage(exit) }));
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
          expectedStatuses: plan.client.expectedStatuses,
          ...(request.mix ? { mix: request.mix.map((c) => (c.headers ? { ...c, headers: redactHeaders(c.headers) } : c)) } : {}),
        },
        startedAt: measured.startedAt,
        wallMs: measured.wallMs,
        plannedMs: plan.phases.reduce((sum, p) => sum + p.durationMs, 0),
        interrupted: measured.interrupted,
        ...(measured.failure ? { failure: measured.failure } : {}),
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

/** "the bundled mock exited (SIGKILL)", with the last line it wrote on stderr when there is one. */
function exitMessage(exit: MockExit): string {
  const how = exit.signal ?? `code ${exit.code}`;
  const last = exit.stderr.split('\n').filter((l) => l.trim() !== '').at(-1)?.trim();
  return `the bundled mock exited (${how})${last ? `: ${last.length > 200 ? `${last.slice(0, 200)}…` : last}` : ''}`;
}
