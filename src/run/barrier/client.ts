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
      if (res.statusCode === 200 && typeof body.startAtMs === 'number') return { startAtMs: body.startAtMs, startAt: String(body.startAt) };
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
