// Runs a plan end to end: starts the bundled mock when the target is "mock" (in its own process), or the
// proxy in front of the target URL (--via-proxy, in its own process too), or talks to a mock started on
// its own through its control API (--control); drives the load (one loop, or --workers
// segments in worker threads) and, on the same Timebase, the mock's companion (its faults and state samples);
// and always stops the mock again — at the end, on interrupt, on error. A mock that exits or stops
// answering during the run ends it (result.failure), like an interrupt would.
import { UsageError } from '../core/errors.js';
import { formatDuration } from '../core/units.js';
import { checkFault, describeFaultIssue } from '../profile/fault-spec.js';
import { formatSegment } from '../core/segment.js';
import { Timebase } from '../core/timebase.js';
import { underTarget } from '../dispatch/request-mix.js';
import { startMock, type MockExit, type RunningMock } from '../mock/launch.js';
import { startProxy } from '../proxy/launch.js';
import { chooseWindowMs } from '../record/timeline.js';
import type { RunProgress } from '../result/progress.js';
import type { FaultOutcome, RunResult, SegmentSummary, ShardInfo } from '../result/run-result.js';
import { totalDurationMs } from '../schedule/phase.js';
import { ControlClient, ControlError } from './control-client.js';
import { LoadRun, type FailureReport, type LoadPlan, type RunMeasurement } from './engine/load-run.js';
import { MockCompanion } from './mock-companion.js';
import { resultOf, skippedFaults, withSamples } from './result.js';
import { runIdentity, type RunPlan } from './plan.js';
import { WorkerRun } from './workers/worker-pool.js';

/** At the end, how long the mock's last answers (the last window's sample, a late fault) are waited for. */
const COMPANION_WAIT_WALL_MS = 1_000;
/** Once every worker thread is loaded, incident time 0 is this far ahead, so that each gets the word in time. */
const WORKERS_START_WALL_MS = 50;

export interface RunHandle {
  /** Resolves with the result, partial when interrupted. */
  readonly result: Promise<RunResult>;
  /** Stop sending, settle what is in flight briefly, and resolve with what was measured. */
  interrupt(): void;
  /** Live numbers; undefined until the load has started. */
  progress(): RunProgress | undefined;
}

/** The load as start-run drives it: one loop, or worker threads. */
interface RunningLoad {
  readonly measurement: Promise<RunMeasurement & { segments?: SegmentSummary[] }>;
  interrupt(): void;
  fail(report: FailureReport): void;
  progress(): RunProgress | undefined;
}

export interface StartOptions {
  /**
   * Called once the load is ready to send (warmed up, connections open): resolves with the epoch ms at
   * which to start (a start barrier's). A stop signal while it waits starts nothing.
   */
  rendezvous?: (() => Promise<number>) | undefined;
}

export function startRun(plan: RunPlan, options: StartOptions = {}): RunHandle {
  let run: RunningLoad | undefined;
  let interrupted = false;
  let hurry: (() => void) | undefined;
  const result = (async (): Promise<RunResult> => {
    let service: RunningMock | undefined;
    let proxyUrl: string | undefined;
    let companion: MockCompanion | undefined;
    try {
      let origin: string;
      let request = plan.client.request;
      const fail = (report: FailureReport): void => run?.fail(report);
      // --skip-faults: the faults are listed in the result as skipped, and nobody is asked to apply them.
      const toApply = plan.skipFaults ? [] : plan.faults;
      if (plan.target === 'mock') {
        service = await startMock({ config: plan.mock, speed: plan.speed, seed: plan.seed });
        origin = service.url;
        companion = new MockCompanion(service.controlUrl, service.token, toApply, { onUnresponsive: fail });
      } else if (plan.viaProxy) {
        // The proxy forwards to the target's origin; the target's path prefix is the load side's, as without it.
        const url = new URL(plan.target);
        service = await startProxy({ upstream: url.origin, seed: plan.seed, insecure: plan.client.tls.insecure, ca: plan.client.tls.ca });
        origin = service.url;
        proxyUrl = service.url;
        request = underTarget(request, url);
        companion = new MockCompanion(service.controlUrl, service.token, toApply, { onUnresponsive: fail, program: 'proxy' });
      } else {
        const url = new URL(plan.target);
        origin = url.origin;
        request = underTarget(request, url);
        if (plan.control) {
          await checkControl(plan);
          // One segment (the first) applies the faults and samples the mock's state: faults happen once.
          if (plan.segment.index === 0) companion = new MockCompanion(plan.control.url, plan.control.token ?? '', toApply, { onUnresponsive: fail });
        }
      }
      const totalMs = totalDurationMs(plan.phases);
      // Windows fine enough for compare to judge the shortest phase, no shorter than 20 wall ms (the
      // mock's state is sampled once a window).
      const windowMs = chooseWindowMs(totalMs, { shortestPhaseMs: Math.min(...plan.phases.map((p) => p.durationMs)), finestMs: 20 * plan.speed });
      const load: LoadPlan = {
        origin,
        phases: plan.phases,
        speed: plan.speed,
        seed: plan.seed,
        client: { ...plan.client, request },
        windowMs,
        segment: plan.segment,
      };
      // Everything that costs (worker threads, the warm-up, connections, recorders) before t0, not after it.
      const workers = plan.workers > 1 ? await WorkerRun.prepare(load, plan.workers) : undefined;
      const prepared = workers ? undefined : await LoadRun.prepare(load);
      let startAt = plan.startAt;
      if (options.rendezvous && !interrupted) {
        const stopped = new Promise<undefined>((resolve) => (hurry = () => resolve(undefined)));
        try {
          startAt = (await Promise.race([options.rendezvous(), stopped])) ?? performance.timeOrigin + performance.now();
        } catch (err) {
          // No start: what was made ready (connections, worker threads) must not keep the process alive.
          await prepared?.close();
          if (workers) {
            workers.start(new Timebase(performance.now(), plan.speed)).interrupt();
            await workers.measurement.catch(() => {});
          }
          throw err;
        } finally {
          hurry = undefined;
        }
      }
      const startWall = performance.now();
      const t0Wall = startAt !== undefined ? startAt - performance.timeOrigin : startWall + (workers ? WORKERS_START_WALL_MS : 0);
      const timebase = new Timebase(t0Wall, plan.speed);
      run = workers ? workers.start(timebase) : prepared!.start(timebase);
      companion?.start(timebase, windowMs, totalMs);
      if (interrupted) run.interrupt();
      // After the run is over, our own stop() ends the mock (or proxy): too late to matter, as fail() knows.
      const what = plan.viaProxy ? 'the proxy' : 'the bundled mock';
      void service?.exited.then((exit) =>
        run?.fail({ kind: plan.viaProxy ? 'proxy-exited' : 'mock-exited', atWall: performance.now(), message: exitMessage(what, exit) }),
      );
      let measured = await run.measurement;
      companion?.stop();
      // A run cut short does not wait on the mock at all: the user wants out, or the mock is broken.
      if (companion && !measured.interrupted && !measured.failure) {
        companion.sampleEnd(windowMs, totalMs);
        const hurried = new Promise<undefined>((resolve) => (hurry = () => resolve(undefined)));
        await Promise.race([companion.settled(COMPANION_WAIT_WALL_MS), hurried]);
        // Silent since late in the run (too late for the watchdog): judged now, not forgotten.
        const silent = await Promise.race([companion.silentAtEnd(), hurried]);
        if (silent)
          measured = {
            ...measured,
            failure: { kind: silent.kind, atMs: Math.max(0, Math.min(totalMs, timebase.incident(silent.atWall))), message: silent.message },
          };
      }
      const faults: FaultOutcome[] = plan.skipFaults
        ? skippedFaults(plan)
        : companion
          ? companion.faults()
          : plan.faults.map((f) => ({ at: f.at, fault: f.fault, params: f.params, error: notAppliedBecause(plan) }));
      // A segment's result, even the one segment of a run of one (k8s --segments 1): merge and collect read it.
      const shard = plan.segment.count > 1 || plan.segmented ? shardInfo(plan, t0Wall, startWall) : undefined;
      return resultOf(plan, origin, request, measured, withSamples(measured.timeline, companion?.samples()), faults, shard, proxyUrl);
    } finally {
      await companion?.close().catch(() => {});
      await service?.stop();
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

/** A mock started on its own must be there, answer as a control API, and keep the plan's time. */
async function checkControl(plan: RunPlan): Promise<void> {
  const control = plan.control!;
  const client = new ControlClient(control.url, control.token, { timeoutMs: 15_000 });
  try {
    const state = await client.state();
    if (state.speed !== undefined && state.speed !== plan.speed) {
      throw new UsageError(
        `--control ${control.url}: that mock runs at speed ${state.speed} and this run at ${plan.speed}: give --speed ${state.speed} (or start the mock at --speed ${plan.speed})`,
      );
    }
    // Now that it is known who applies the faults, each is checked against that one's catalogue: a fault
    // it would refuse is bad input now, not a "not applied" line at the end of the run.
    if (!plan.skipFaults) {
      const problems = plan.faults.flatMap((f) => {
        const issues = checkFault(f.fault, f.params, client.program);
        return issues.length > 0 ? [`fault ${f.fault} at ${formatDuration(f.at)}: ${issues.map(describeFaultIssue).join('; ')}`] : [];
      });
      if (problems.length > 0) throw new UsageError(`--control ${control.url} is a ${client.program}, which would refuse: ${problems.join('; ')}`);
    }
  } catch (err) {
    if (err instanceof ControlError)
      throw new UsageError(
        `--control ${control.url}: ${err.problem === 'unauthorized' ? `the token from ${control.tokenSource} was not accepted` : err.message}`,
      );
    throw err;
  } finally {
    await client.close();
  }
}

function notAppliedBecause(plan: RunPlan): string {
  if (plan.control) return `applied by segment 0/${plan.segment.count} of the run`;
  return 'faults need the bundled mock, the proxy in front of --target (--via-proxy), or the control API of the mock at --target (--control)';
}

/** Which segment of which run this is, and when it started against when it was asked to. */
function shardInfo(plan: RunPlan, t0Wall: number, startWall: number): ShardInfo {
  const epoch = (wall: number): number => performance.timeOrigin + wall;
  // Ready before its start: it started on time; late (a slow start, --start-at already past): by that much.
  const actual = Math.max(startWall, t0Wall);
  return {
    run: runIdentity(plan),
    index: plan.segment.index,
    count: plan.segment.count,
    requestedStart: new Date(epoch(t0Wall)).toISOString(),
    actualStart: new Date(epoch(actual)).toISOString(),
    startSkewMs: actual - t0Wall,
  };
}

/** "the bundled mock exited (SIGKILL)", with the last line it wrote on stderr when there is one. */
function exitMessage(what: string, exit: MockExit): string {
  const how = exit.signal ?? `code ${exit.code}`;
  const last = exit.stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .at(-1)
    ?.trim();
  return `${what} exited (${how})${last ? `: ${last.length > 200 ? `${last.slice(0, 200)}…` : last}` : ''}`;
}

/** "segment 2/4" for messages. */
export function segmentLabel(plan: RunPlan): string {
  return `segment ${formatSegment(plan.segment)}`;
}
