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
