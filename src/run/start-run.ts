// Runs a plan end to end: starts the bundled mock when the target is "mock" (in its own process), drives
// the load and, on the same Timebase, the mock's companion (its faults and state samples), and always
// stops the mock again — at the end, on interrupt, on error. A mock that exits or stops answering during
// the run ends it (result.failure), like an interrupt would.
import { redactHeaders } from '../core/http-header.js';
import { Timebase } from '../core/timebase.js';
import { toolVersion } from '../core/version.js';
import { underTarget } from '../dispatch/request-mix.js';
import { startMock, type MockExit, type RunningMock } from '../mock/launch.js';
import { chooseWindowMs } from '../record/timeline.js';
import type { RunProgress } from '../result/progress.js';
import { RESULT_SCHEMA, type FaultOutcome, type RunResult, type TimelineWindow } from '../result/run-result.js';
import { totalDurationMs } from '../schedule/phase.js';
import { evaluateThresholds } from '../threshold/evaluate.js';
import { LoadRun, type RunMeasurement } from './engine/load-run.js';
import { MockCompanion } from './mock-companion.js';
import type { RunPlan } from './plan.js';

/** At the end, how long the mock's last answers (the last window's sample, a late fault) are waited for. */
const COMPANION_WAIT_WALL_MS = 1_000;

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
  let hurry: (() => void) | undefined;
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
      const totalMs = totalDurationMs(plan.phases);
      const windowMs = chooseWindowMs(totalMs);
      const timebase = new Timebase(performance.now(), plan.speed);
      run = LoadRun.start({ origin, phases: plan.phases, speed: plan.speed, seed: plan.seed, client: { ...plan.client, request }, windowMs }, { timebase });
      companion?.start(timebase, windowMs, totalMs);
      if (interrupted) run.interrupt();
      // After the run is over, our own stop() ends the mock: too late to matter, as fail() knows.
      void mock?.exited.then((exit) => run?.fail({ kind: 'mock-exited', atWall: performance.now(), message: exitMessage(exit) }));
      const measured = await run.measurement;
      companion?.stop();
      // A run cut short does not wait on the mock at all: the user wants out, or the mock is broken.
      if (companion && !measured.interrupted && !measured.failure)
        await Promise.race([companion.settled(COMPANION_WAIT_WALL_MS), new Promise<void>((resolve) => (hurry = resolve))]);
      const faults: FaultOutcome[] = companion
        ? companion.faults()
        : plan.faults.map((f) => ({ at: f.at, fault: f.fault, params: f.params, error: 'faults need the bundled mock (no --target)' }));
      return resultOf(plan, origin, request.mix, measured, withSamples(measured.timeline, companion?.samples()), faults);
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
      hurry?.();
    },
    progress: () => run?.progress(),
  };
}

function resultOf(
  plan: RunPlan,
  origin: string,
  mix: RunPlan['client']['request']['mix'],
  measured: RunMeasurement,
  timeline: TimelineWindow[],
  faults: FaultOutcome[],
): RunResult {
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
      ...(mix ? { mix: mix.map((c) => (c.headers ? { ...c, headers: redactHeaders(c.headers) } : { ...c })) } : {}),
    },
    startedAt: measured.startedAt,
    wallMs: measured.wallMs,
    plannedMs: totalDurationMs(plan.phases),
    interrupted: measured.interrupted,
    ...(measured.failure ? { failure: measured.failure } : {}),
    phases: measured.phases,
    total: measured.total,
    timeline,
    faults,
    thresholds: evaluateThresholds(plan.thresholds, measured),
  };
}

/** The timeline with the mock's state at the end of each window it was sampled for. */
function withSamples(timeline: TimelineWindow[], samples: ReadonlyMap<number, TimelineWindow['mock'] & object> | undefined): TimelineWindow[] {
  if (!samples) return timeline;
  return timeline.map((w, i) => {
    const sample = samples.get(i);
    return sample ? { ...w, mock: sample } : w;
  });
}

/** "the bundled mock exited (SIGKILL)", with the last line it wrote on stderr when there is one. */
function exitMessage(exit: MockExit): string {
  const how = exit.signal ?? `code ${exit.code}`;
  const last = exit.stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .at(-1)
    ?.trim();
  return `the bundled mock exited (${how})${last ? `: ${last.length > 200 ? `${last.slice(0, 200)}…` : last}` : ''}`;
}
