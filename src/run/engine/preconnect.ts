// How many connections a run opens to its target before t0. Enough for the first second's requests in
// flight at once, so that none waits on a handshake and the pool does not open a connection per arrival
// while the first ones are still being set up; not the whole pool, which for the open model is a ceiling
// (1,024 by default) and opened at once would be a connection storm against the user's service.
//
// Requests in flight ≈ arrivals per second × latency (Little's law). The latency is not known before
// the first answer, but one connection's set-up time is (about one round trip, more with TLS): a
// request takes at least that, so in flight ≥ rate × set-up time. We allow for twice the set-up time
// plus 1 ms of service, and twice that many connections again for the bunching of random arrivals.

/** How long the run waits for its connections before starting without the ones still opening. */
export const PRECONNECT_WAIT_WALL_MS = 2_000;
/** Those still unused this long after t0 are closed: the first second did not need them. */
export const PRECONNECT_KEEP_WALL_MS = 1_000;
/** At most this many are opened ahead, whatever the rate: the rest open on demand, as without any. */
export const PRECONNECT_MAX = 256;

export interface PreconnectNeed {
  /** Open model: the busiest phase's arrivals per wall second. */
  wallRate: number;
  /** Closed model: the busiest phase's users (each sends on a connection of its own). */
  users: number;
  /** The pool's size. */
  connections: number;
  /** One connection's set-up time, wall ms. */
  connectWallMs: number;
}

export function preconnectCount(need: PreconnectNeed): number {
  const inFlight = (need.wallRate * (2 * need.connectWallMs + 1)) / 1_000;
  const open = need.wallRate > 0 ? Math.ceil(2 * inFlight) + 1 : 0;
  return Math.max(1, Math.min(need.connections, PRECONNECT_MAX, Math.max(open, need.users)));
}
