// Queueing theory the mock must agree with. c servers, offered load a = λ·S (in Erlangs).

/** Erlang B: the share of arrivals blocked when there is no queue (M/G/c/c; insensitive to the service distribution). */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C: the probability that an arrival waits in an M/M/c queue (needs a < c). */
export function erlangC(c: number, a: number): number {
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

/** Mean wait in queue of an M/M/c queue, in units of the mean service time S: C / (c - a). */
export function meanWaitInServiceTimes(c: number, a: number): number {
  return erlangC(c, a) / (c - a);
}

/**
 * P(T ≤ t) for the response time T (wait + service) of a FIFO M/M/c queue, t in units of the mean service
 * time: with probability 1 - C no wait, T ~ Exp(1); otherwise T = Exp(c - a) + Exp(1) (the wait of an
 * arrival that finds every server busy is exponential at rate c·μ - λ).
 */
export function mmcResponseCdf(c: number, a: number, t: number): number {
  const C = erlangC(c, a);
  const alpha = c - a;
  const served = 1 - Math.exp(-t);
  const waited = alpha === 1 ? 1 - Math.exp(-t) * (1 + t) : 1 - (Math.exp(-alpha * t) - alpha * Math.exp(-t)) / (1 - alpha);
  return (1 - C) * served + C * waited;
}

/**
 * The share served by an M/M/c+D queue: c servers, a = λ/μ Erlangs, every arrival waits at most D (in
 * units of the mean service time) and leaves unserved if it has not started by then. In FIFO an arrival's
 * wait V is fixed when it arrives (those ahead that will give up take no service), so it is served when
 * V ≤ D. V's density, from level crossing: λ·π(c-1)·e^{-(c-a)x} on (0, D), then falling at rate c beyond D;
 * P(V > D) = a·π(c-1)·e^{-(c-a)D} / c, π normalised over the c states with a free server and V's density
 * (Baccelli & Hébuterne 1981). At D = 0 it is Erlang B; as D grows (a < c), Erlang C's queue with no loss.
 */
export function mmcdServed(c: number, a: number, D: number): number {
  let term = 1; // a^j / j!, unnormalised π(j) / π(0)
  let free = 1;
  for (let j = 1; j < c; j++) {
    term = (term * a) / j;
    free += term;
  }
  const last = term; // π(c-1) / π(0)
  const k = c - a;
  const waiting = last * a * ((Math.abs(k) < 1e-12 ? D : (1 - Math.exp(-k * D)) / k) + Math.exp(-k * D) / c);
  const lost = (last * a * Math.exp(-k * D)) / c;
  return 1 - lost / (free + waiting);
}
