// How long the requests still in flight may take once the run stops sending. At the end of the schedule
// they go on to their final outcome, retries included (k6's graceful stop), for as long as their own
// attempts and backoffs can take; an interrupt gives them a moment; a broken dependency none. Whatever is
// still out then is aborted and counted unfinished, never as a failure.
import type { Timebase } from '../../core/timebase.js';
import type { RetrySettings } from '../../profile/profile.js';

/** After the schedule ends, what its requests get beyond their own time; an interrupt gets this long. */
export const INTERRUPT_GRACE_WALL_MS = 500;

/** The wall time by which the schedule's last requests must be done: every attempt timing out, every backoff at its cap. */
export function drainDeadlineWall(nowWall: number, client: { timeoutMs: number; retries: RetrySettings }, timebase: Timebase): number {
  const { timeoutMs, retries } = client;
  const worstIncident = timeoutMs * (retries.max + 1) + retries.capMs * retries.max;
  return nowWall + timebase.wallDuration(worstIncident) + INTERRUPT_GRACE_WALL_MS;
}
