// What the main thread and a worker thread of `ramp --workers N` say to each other. Times cross threads as
// epoch ms (performance.timeOrigin + performance.now()): each thread's performance.now() counts from its own
// start.
import type { RunProgress } from '../../result/progress.js';
import type { FailureReport, LoadPlan, RunMeasurement } from '../engine/load-run.js';

/** The worker's workerData: its share of the run. */
export interface WorkerSetup {
  plan: LoadPlan;
}

/** `start` once every worker is ready (loaded), with the run's incident time 0; a worker started late starts late. */
export type ToWorker =
  { type: 'start'; t0Epoch: number } | { type: 'interrupt' } | { type: 'fail'; report: Omit<FailureReport, 'atWall'> & { atEpoch: number } };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; progress: RunProgress }
  | { type: 'done'; measurement: RunMeasurement; startedEpoch: number }
  | { type: 'error'; message: string };

export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** This thread's performance.now() time of an epoch time. */
export function wallOf(epoch: number): number {
  return epoch - performance.timeOrigin;
}
