// A segment meets the others before it sends anything (ramp --barrier): it waits for the mock's control
// API when there is one (the mock's pod may still be starting), then registers at the start barrier that
// segment 0 serves, and returns the common start, which then runs the --start-at way. Every wait is
// bounded by the barrier's timeout.
import { formatDuration } from '../../core/units.js';
import { ControlClient, ControlError } from '../control-client.js';
import { runIdentity, type RunPlan } from '../plan.js';
import { registerAtBarrier } from './client.js';
import { BarrierServer } from './server.js';
import { BarrierError } from './protocol.js';

/**
 * How far ahead of the release the common start is: the word must reach every segment, each waiting at the
 * barrier already warmed up with its connections open (start-run meets the barrier once ready), so only
 * the answer's way back and a busy event loop count. A segment that hears it late starts late, and says
 * how late (startSkewMs).
 */
export const BARRIER_MARGIN_WALL_MS = 1_000;
const CONTROL_RETRY_WALL_MS = 250;

export interface BarrierPlan {
  /** host:port of segment 0's barrier, as every segment reaches it. */
  address: string;
  /** Where segment 0 listens (127.0.0.1 unless said: 0.0.0.0 in a pod), and whether that is beyond loopback. */
  listenHost: string;
  remote: boolean;
  token: string;
  /** Wall ms. */
  timeoutMs: number;
  /** Segment 0 tells where it listens (its port, when the address says 0). */
  onListening?: (address: string) => void;
}

export interface Met {
  /** The common start, epoch ms. */
  startAt: number;
  /** Segment 0's barrier stays open for late re-registrations until the run is over. */
  close(): Promise<void>;
}

export async function meetAtBarrier(plan: RunPlan, barrier: BarrierPlan): Promise<Met> {
  const deadline = Date.now() + barrier.timeoutMs;
  if (plan.control) await controlReady(plan.control.url, plan.control.token, deadline);
  const { index, count } = plan.segment;
  const run = runIdentity(plan);
  if (index === 0) {
    const port = Number(/:(\d+)$/.exec(barrier.address)?.[1] ?? NaN);
    const server = new BarrierServer({
      run,
      count,
      token: barrier.token,
      host: barrier.listenHost,
      remote: barrier.remote,
      port,
      timeoutMs: Math.max(0, deadline - Date.now()),
      timeoutLabel: formatDuration(barrier.timeoutMs),
      marginMs: BARRIER_MARGIN_WALL_MS,
    });
    barrier.onListening?.(await server.listen());
    server.arrive(0);
    try {
      const release = await server.released;
      return { startAt: release.startAtMs, close: () => server.close() };
    } catch (err) {
      await server.close();
      throw err;
    }
  }
  const release = await registerAtBarrier(barrier.address, barrier.token, { run, index, count }, Math.max(0, deadline - Date.now()));
  return { startAt: release.startAtMs, close: async () => {} };
}

/**
 * With --control: waits (within the barrier's timeout) until the mock's control API answers at all. A
 * segment gets ready before it meets the barrier, and getting ready checks the control API, which in a
 * cluster may belong to a pod that starts after this one.
 */
export async function controlBeforeBarrier(plan: RunPlan, barrier: BarrierPlan): Promise<void> {
  if (plan.control) await controlReady(plan.control.url, plan.control.token, Date.now() + barrier.timeoutMs);
}

/** Until the control API answers at all (or the deadline): the mock's pod may start after this one. */
async function controlReady(url: string, token: string | undefined, deadline: number): Promise<void> {
  const client = new ControlClient(url, token, { timeoutMs: 2_000 });
  try {
    for (;;) {
      try {
        await client.state();
        return;
      } catch (err) {
        // Anything but "nobody there yet" is the run's check to report (start-run.ts), with its advice.
        if (!(err instanceof ControlError) || (err.problem !== 'unreachable' && err.problem !== 'timeout')) return;
        if (Date.now() >= deadline)
          throw new BarrierError(`the mock's control API at ${url} did not answer before the start barrier's timeout (${err.detail})`);
      }
      await new Promise((resolve) => setTimeout(resolve, CONTROL_RETRY_WALL_MS));
    }
  } finally {
    await client.close();
  }
}
