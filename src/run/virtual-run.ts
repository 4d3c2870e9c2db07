// A run in virtual time (`ramp --virtual`): the bundled mock's model in this process (mock/in-process.ts)
// as the transport, a ManualClock as the clock, and a VirtualPacer as the wait — the same engine,
// dispatcher and recorder as over HTTP, nothing of the client written twice. The driver below is the whole
// of virtual time: it moves the clock to whichever comes first, the model's next event or the loop's next
// wanted tick, runs the model's events up to then (answers reach their Attempts at their exact times), and
// ticks the loop when it is due. At one instant the model's events go before the loop's tick, so an answer
// and a deadline at the same time make a timeout, as settle() already rules. Nothing reads the wall: the
// same profile and seed give the same result on any machine, under any load, bar startedAt and wallMs.
// A long run yields to the event loop every VIRTUAL_SLICE_WALL_MS, so Ctrl-C and the progress line work.
import { ManualClock } from '../core/clock.js';
import { Timebase } from '../core/timebase.js';
import { underTarget } from '../dispatch/request-mix.js';
import { InProcessMock } from '../mock/in-process.js';
import { chooseWindowMs } from '../record/timeline.js';
import type { FaultOutcome, RunResult } from '../result/run-result.js';
import { totalDurationMs } from '../schedule/phase.js';
import { LoadRun, type LoadPlan } from './engine/load-run.js';
import { VirtualPacer } from './engine/pacer.js';
import type { RunPlan } from './plan.js';
import { resultOf, skippedFaults, withSamples } from './result.js';
import type { RunHandle } from './start-run.js';
import { DEFAULT_RTT_MS } from './virtual-rtt.js';

/** Wall time the driver runs before it lets the event loop in (a signal, the progress line's timer). */
const VIRTUAL_SLICE_WALL_MS = 20;
/** Ticks of the loop at one virtual instant with nothing else happening: time stands still, a bug. */
const MOST_TICKS_AT_ONE_INSTANT = 100_000;
/** The origin a virtual run's requests name: nothing listens there; the model answers in process. */
export const VIRTUAL_ORIGIN = 'http://mock.virtual';

export interface VirtualRunOptions {
  /** The client's network round trip, incident ms (default DEFAULT_RTT_MS). */
  rttMs?: number;
}

/** Starts `plan` (target "mock") in virtual time; the handle is start-run's. */
export function startVirtualRun(plan: RunPlan, options: VirtualRunOptions = {}): RunHandle {
  if (plan.target !== 'mock') throw new Error('a virtual run needs the bundled mock as its target');
  const rttMs = options.rttMs ?? DEFAULT_RTT_MS;
  let run: LoadRun | undefined;
  let interrupted = false;
  const result = (async (): Promise<RunResult> => {
    const wallStart = performance.now();
    const model = new InProcessMock(plan.mock, { seed: plan.seed, rttMs, connections: plan.client.connections });
    const totalMs = totalDurationMs(plan.phases);
    const windowMs = chooseWindowMs(totalMs, { shortestPhaseMs: Math.min(...plan.phases.map((p) => p.durationMs)), finestMs: 20 });
    if (!plan.skipFaults) model.scheduleFaults(plan.faults);
    model.sampleWindows(windowMs, totalMs);
    const request = underTarget(plan.client.request, new URL(VIRTUAL_ORIGIN));
    const load: LoadPlan = {
      origin: VIRTUAL_ORIGIN,
      phases: plan.phases,
      speed: 1,
      seed: plan.seed,
      client: { ...plan.client, request },
      windowMs,
      segment: plan.segment,
    };
    const clock = new ManualClock();
    let pacer: VirtualPacer | undefined;
    const prepared = await LoadRun.prepare(load, {
      world: { clock, transport: model.transport, waiter: (tick) => (pacer = new VirtualPacer(tick)) },
    });
    // Faults due at 0 are in effect before the first request.
    model.advance(0);
    run = prepared.start(new Timebase(0, 1));
    if (interrupted) run.interrupt();
    await drive(run, pacer!, clock, model, () => interrupted);
    const measured = await run.measurement;
    const endMs = measured.interrupted ? Math.min(totalMs, clock.now()) : totalMs;
    const faults: FaultOutcome[] = plan.skipFaults ? skippedFaults(plan) : model.faults(endMs);
    const samples = new Map([...model.samples()].map(([i, mock]) => [i, { mock }]));
    const virtualPlan: RunPlan = { ...plan, speed: 1 };
    const assembled = resultOf(
      virtualPlan,
      VIRTUAL_ORIGIN,
      request,
      { ...measured, wallMs: performance.now() - wallStart },
      withSamples(measured.timeline, samples),
      faults,
      undefined,
      undefined,
    );
    return { ...assembled, profile: { ...assembled.profile, target: 'mock (in process)', clock: 'virtual', rttMs } };
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

/** The whole of virtual time: from event to event until the run's loop stops. */
async function drive(run: LoadRun, pacer: VirtualPacer, clock: ManualClock, model: InProcessMock, interrupted: () => boolean): Promise<void> {
  let sliceStart = performance.now();
  let steps = 0;
  let stillAt = -1;
  let ticksStill = 0;
  let seenInterrupt = false;
  while (!pacer.stopped) {
    if ((++steps & 255) === 0 && performance.now() - sliceStart > VIRTUAL_SLICE_WALL_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
      if (interrupted() && !seenInterrupt) {
        seenInterrupt = true;
        run.interrupt();
      }
      continue;
    }
    const now = clock.now();
    const t = Math.min(Math.max(pacer.nextAt, now), model.nextAt());
    if (t === Infinity) throw new Error(`virtual time: nothing left to happen at ${now} ms, and the run is not over`);
    if (t > now) clock.set(t);
    model.advance(t);
    if (pacer.nextAt <= t) {
      if (t === stillAt) {
        if (++ticksStill > MOST_TICKS_AT_ONE_INSTANT) throw new Error(`virtual time stood still at ${t} ms: the run's loop keeps asking for the same instant`);
      } else {
        stillAt = t;
        ticksStill = 0;
      }
      pacer.nextAt = Infinity;
      pacer.tick();
    }
  }
}
