// The body of one worker thread of `ramp --workers N`: its segment of the run on a load loop and an undici
// pool of its own. It says it is ready once loaded and prepared (warmed up, its connections open), starts when told (at the run's shared incident time 0),
// reports progress four times a second and its measurement at the end; the main thread owns the mock, the
// faults, the merge and the exit code.
import { parentPort, workerData } from 'node:worker_threads';
import { Timebase } from '../../core/timebase.js';
import { LoadRun, type LoadRun as Run, type PreparedLoad } from '../engine/load-run.js';
import { epochNow, wallOf, type FromWorker, type ToWorker, type WorkerSetup } from './messages.js';

const port = parentPort!;
const { plan } = workerData as WorkerSetup;
const post = (message: FromWorker): void => port.postMessage(message);
let prepared: PreparedLoad | undefined;
let run: Run | undefined;
let interrupted = false;

function start(t0Epoch: number): void {
  const startedEpoch = epochNow();
  run = prepared!.start(new Timebase(wallOf(t0Epoch), plan.speed));
  if (interrupted) run.interrupt();
  const progress = setInterval(() => post({ type: 'progress', progress: run!.progress() }), 250);
  run.measurement.then(
    (measurement) => {
      clearInterval(progress);
      post({ type: 'done', measurement, startedEpoch });
      port.close();
    },
    (err: unknown) => {
      clearInterval(progress);
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      port.close();
    },
  );
}

port.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'start') start(message.t0Epoch);
    else if (message.type === 'interrupt') {
      interrupted = true;
      run?.interrupt();
    } else run?.fail({ ...message.report, atWall: wallOf(message.report.atEpoch) });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    port.close();
  }
});
LoadRun.prepare(plan).then(
  (ready) => {
    prepared = ready;
    post({ type: 'ready' });
  },
  (err: unknown) => {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    port.close();
  },
);
