// A segment's side of the start barrier: register with segment 0's barrier and wait for the start it
// announces. Segment 0 may not be up yet (its pod starting, its name not yet in DNS), so a connection that
// fails is tried again every RETRY_WALL_MS until the deadline; a barrier that answers with a refusal (another
// run, a wrong token, the time up with segments missing) ends the wait at once with its message.
import { request } from 'undici';
import { formatDuration } from '../../core/units.js';
import { BARRIER_HEADER, BARRIER_PATH, BarrierError, type Registration, type Release } from './protocol.js';

const RETRY_WALL_MS = 250;
/** Past the deadline, a little longer for segment 0's own timeout answer (which names the missing) to arrive. */
const ANSWER_GRACE_MS = 5_000;

/**
 * A start segment 0 may announce: its release moment plus a margin, so no later than this segment's own
 * deadline and the grace past it (a minute more for clocks that disagree), and no earlier than a day ago (a
 * late re-registration gets the start already past). Anything else — Infinity, a year ahead, 1e300 ago —
 * is not this run's barrier speaking: refused, never waited for (audit 2026-12-07, item 12).
 */
function checkedStart(startAtMs: number, address: string, deadline: number): number {
  const latest = deadline + ANSWER_GRACE_MS + CLOCK_SLACK_MS;
  if (Number.isFinite(startAtMs) && startAtMs <= latest && startAtMs >= Date.now() - 86_400_000) return startAtMs;
  const shown = Number.isFinite(startAtMs) && Math.abs(startAtMs) < 8.64e15 ? new Date(startAtMs).toISOString() : String(startAtMs);
  throw new BarrierError(
    `the start barrier at ${address} announced a start at ${shown}, which is not within this segment's --barrier-timeout: not a start this run's segment 0 would give`,
  );
}

/** How far segment 0's clock may be ahead of this one's for its start to be taken. */
const CLOCK_SLACK_MS = 60_000;

export async function registerAtBarrier(address: string, token: string, registration: Registration, timeoutMs: number): Promise<Release> {
  const deadline = Date.now() + timeoutMs;
  const url = `http://${address}${BARRIER_PATH}`;
  let lastProblem = 'no answer';
  while (Date.now() < deadline) {
    const waitMs = deadline - Date.now() + ANSWER_GRACE_MS;
    try {
      const res = await request(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(registration),
        headersTimeout: waitMs,
        bodyTimeout: waitMs,
        signal: AbortSignal.timeout(waitMs),
      });
      const text = await res.body.text();
      if (res.headers[BARRIER_HEADER] !== '1')
        throw new BarrierError(`${address} did not answer as an incident-load start barrier (it answered ${res.statusCode})`);
      const body = JSON.parse(text) as Partial<Release> & { error?: string; missing?: number[] };
      if (res.statusCode === 200 && typeof body.startAtMs === 'number')
        return { startAtMs: checkedStart(body.startAtMs, address, deadline), startAt: String(body.startAt) };
      throw new BarrierError(`the start barrier at ${address}: ${body.error ?? `answered ${res.statusCode}`}`, body.missing ?? []);
    } catch (err) {
      if (err instanceof BarrierError) throw err;
      lastProblem = (err as { code?: string }).code ?? (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(RETRY_WALL_MS, deadline - Date.now()))));
  }
  throw new BarrierError(
    `the start barrier at ${address} did not answer within ${formatDuration(timeoutMs)} (${lastProblem}): segment 0, which serves it, never started or cannot be reached`,
  );
}
