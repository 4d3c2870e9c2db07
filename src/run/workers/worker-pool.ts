// `ramp --workers N`: the run's N segments in N worker threads of this process, each with its own load loop
// and undici pool, all on one incident clock. Seen from start-run it is one run (interrupt, fail, progress,
// a measurement): progress is the workers' summed, and the measurement is their segments merged with the
// code `incident-load merge` uses. Workers are started in two steps, as k6 separates init from the run:
// prepare() spawns them and waits until each has loaded (a thread takes a while on a busy machine), then
// start() gives them all the same incident time 0. A worker that dies fails the run at once (the others are
// stopped and what they measured is kept); none outlives the run.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { within, type Segment } from '../../core/segment.js';
import { ExpectedStatuses } from '../../core/expected-statuses.js';
import { Timebase } from '../../core/timebase.js';
import { RunRecorder } from '../../record/run-recorder.js';
import { placePhases } from '../../schedule/phase.js';
import { mergePhases, mergeTimelines } from '../../result/merge.js';
import type { RunProgress } from '../../result/progress.js';
import type { Readiness, RunFailure, SegmentSummary } from '../../result/run-result.js';
import type { FailureReport, LoadPlan, RunMeasurement } from '../engine/load-run.js';
import { epochNow, wallOf, type FromWorker, type ToWorker, type WorkerSetup } from './messages.js';

/** The compiled worker entry: next to this file in dist/, or <repo>/dist when running from src/ (vitest). */
function workerPath(): string {
  const candidates = [new URL('./worker.js', import.meta.url), new URL('../../../dist/run/workers/worker.js', import.meta.url)];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error('cannot find the worker thread entry (dist/run/workers/worker.js); run `npm run build`');
}

/** A merged measurement, with each worker's own figures. */
export type WorkersMeasurement = RunMeasurement & { segments: SegmentSummary[] };

interface Member {
  worker: Worker;
  segment: Segment;
  progress: RunProgress | undefined;
  done: { measurement: RunMeasurement; startedEpoch: number } | undefined;
  ended: boolean;
}

export class WorkerRun {
  readonly measurement: Promise<WorkersMeasurement>;
  readonly #plan: LoadPlan;
  readonly #members: Member[];
  readonly #ready: Promise<void>;
  #timebase: Timebase | undefined;
  #failure: RunFailure | undefined;
  #interrupted = false;

  /**
   * Spawns `count` workers on segments of `plan.segment` (the whole run unless --segment) and resolves once
   * each is loaded and waiting for start() (or has already failed, which the measurement will say).
   */
  static async prepare(plan: LoadPlan, count: number): Promise<WorkerRun> {
    const run = new WorkerRun(plan, count);
    await run.#ready;
    return run;
  }

  private constructor(plan: LoadPlan, count: number) {
    this.#plan = plan;
    const outer = plan.segment ?? { index: 0, count: 1 };
    const path = workerPath();
    this.#members = Array.from({ length: count }, (_, w) => {
      const segment = within(outer, { index: w, count });
      const setup: WorkerSetup = { plan: { ...plan, segment } };
      return { worker: new Worker(path, { workerData: setup }), segment, progress: undefined, done: undefined, ended: false };
    });
    this.#ready = Promise.all(
      this.#members.map(
        (m) =>
          new Promise<void>((resolve) => {
            m.worker.on('message', (message: FromWorker) => message.type === 'ready' && resolve());
            m.worker.on('exit', () => resolve());
          }),
      ),
    ).then(() => {});
    this.measurement = new Promise<WorkersMeasurement>((resolve, reject) => {
      const settleIfDone = (): void => {
        if (!this.#members.every((m) => m.ended)) return;
        try {
          resolve(this.#merged());
        } catch (err) {
          reject(err);
        }
      };
      this.#members.forEach((member, w) => {
        member.worker.on('message', (message: FromWorker) => {
          if (message.type === 'ready') return;
          if (message.type === 'progress') member.progress = message.progress;
          else if (message.type === 'done') member.done = { measurement: message.measurement, startedEpoch: message.startedEpoch };
          else this.#lost(w, message.message);
        });
        member.worker.on('error', (err) => this.#lost(w, err.message));
        member.worker.on('exit', (code) => {
          member.ended = true;
          if (!member.done) this.#lost(w, `it exited (code ${code}) before reporting`);
          settleIfDone();
        });
      });
    });
  }

  /** Every worker starts its segment with incident time 0 at the Timebase's t0. */
  start(timebase: Timebase): this {
    this.#timebase = timebase;
    this.#send({ type: 'start', t0Epoch: performance.timeOrigin + timebase.t0Wall });
    return this;
  }

  interrupt(): void {
    this.#interrupted = true;
    this.#send({ type: 'interrupt' });
  }

  fail(report: FailureReport): void {
    if (this.#failure) return;
    const atMs = this.#timebase ? Math.max(0, this.#timebase.incident(report.atWall)) : 0;
    this.#failure = { kind: report.kind, atMs, message: report.message };
    this.#send({ type: 'fail', report: { kind: report.kind, message: report.message, atEpoch: performance.timeOrigin + report.atWall } });
  }

  progress(): RunProgress | undefined {
    const reports = this.#members.map((m) => m.progress).filter((p): p is RunProgress => p !== undefined);
    const first = reports[0];
    if (!first) return undefined;
    const sum = (pick: (p: RunProgress) => number): number => reports.reduce((acc, p) => acc + pick(p), 0);
    return {
      ...first,
      incidentMs: Math.max(...reports.map((p) => p.incidentMs)),
      offered: sum((p) => p.offered),
      ok: sum((p) => p.ok),
      failed: sum((p) => p.failed),
      dropped: sum((p) => p.dropped),
      inFlight: sum((p) => p.inFlight),
      draining: reports.every((p) => p.draining),
    };
  }

  /** A worker died or failed: the run fails, the others stop with what they measured. */
  #lost(w: number, why: string): void {
    if (this.#members[w]!.done) return;
    this.fail({
      kind: 'worker-exited',
      atWall: wallOf(epochNow()),
      message: `worker ${w + 1} of ${this.#members.length} failed: ${why}; its share of the run is not in the result`,
    });
  }

  #nothingMeasured(): RunMeasurement {
    const timebase = this.#timebase ?? new Timebase(performance.now(), this.#plan.speed);
    const recorder = new RunRecorder({
      phases: placePhases(this.#plan.phases),
      timebase,
      windowMs: this.#plan.windowMs,
      classNames: this.#plan.client.request.mix?.map((c) => c.name),
      expected: ExpectedStatuses.parse(this.#plan.client.expectedStatuses),
    });
    return {
      ...recorder.measurements(0),
      startedAt: new Date().toISOString(),
      wallMs: 0,
      interrupted: this.#interrupted,
      failure: this.#failure,
      readiness: { warmUpRequests: 0, warmUpWallMs: 0, preconnected: 0 },
    };
  }

  #send(message: ToWorker): void {
    for (const m of this.#members) if (!m.ended) m.worker.postMessage(message);
  }

  #merged(): WorkersMeasurement {
    const done = this.#members.filter((m): m is Member & { done: NonNullable<Member['done']> } => m.done !== undefined);
    // Every worker failed: the run measured nothing, and says why (exit 3), as a run whose mock died at once.
    const parts = done.length > 0 ? done.map((m) => m.done.measurement) : [this.#nothingMeasured()];
    const longest = parts.reduce((a, b) => (b.phases.length > a.phases.length ? b : a), parts[0]!);
    const t0Epoch = performance.timeOrigin + (this.#timebase?.t0Wall ?? 0);
    const failures = [this.#failure, ...parts.map((p) => p.failure)].filter((f) => f !== undefined);
    return {
      startedAt: parts.map((p) => p.startedAt).sort()[0]!,
      wallMs: Math.max(...parts.map((p) => p.wallMs)),
      interrupted: this.#interrupted || parts.some((p) => p.interrupted),
      failure: failures.sort((a, b) => a.atMs - b.atMs)[0],
      readiness: mergedReadiness(parts.map((p) => p.readiness)),
      phases: longest.phases.map((phase) => mergePhases(parts.map((p) => p.phases.find((q) => q.name === phase.name)).filter((q) => q !== undefined))),
      total: mergePhases(parts.map((p) => p.total)),
      timeline: mergeTimelines(parts.map((p) => p.timeline)),
      segments: done.map((m) => ({
        index: m.segment.index,
        offered: m.done.measurement.total.offered,
        achieved: m.done.measurement.total.rps.achieved,
        successRatio: m.done.measurement.total.successRatio,
        p99: m.done.measurement.total.okLatencyMs?.p99 ?? null,
        sendLagP99: m.done.measurement.total.sendLagMs?.p99 ?? null,
        // Ready before incident time 0 (it then waited for it): on time; later: by that much.
        startSkewMs: Math.max(0, m.done.startedEpoch - t0Epoch),
        interrupted: m.done.measurement.interrupted,
        ...(m.done.measurement.failure ? { failure: m.done.measurement.failure } : {}),
      })),
    };
  }
}

/** The workers' readiness as one: what they sent and opened, summed; the longest warm-up; the slowest median connect. */
function mergedReadiness(parts: readonly Readiness[]): Readiness {
  const connects = parts.map((p) => p.connectWallMs).filter((ms) => ms !== undefined);
  const merged: Readiness = {
    warmUpRequests: parts.reduce((a, p) => a + p.warmUpRequests, 0),
    warmUpWallMs: Math.max(0, ...parts.map((p) => p.warmUpWallMs)),
    preconnected: parts.reduce((a, p) => a + p.preconnected, 0),
  };
  if (connects.length > 0) merged.connectWallMs = Math.max(...connects);
  return merged;
}
