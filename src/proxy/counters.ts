// What the proxy has done since it started, as `GET /state` shows it: counts of requests, of the answers
// it made itself (by reason, the `x-incident-load-proxy` header's value), gauges of what is in progress,
// and the latency it added on purpose (add-latency, the wait at a connection cap, bandwidth), summed so a
// sampler that reads it twice can tell the mean added per request in between.
export class ProxyCounters {
  /** Requests that arrived. */
  requests = 0;
  /** Requests sent on to the upstream. */
  forwarded = 0;
  /** On their way to the upstream or back now (headers sent, answer not yet complete). */
  inFlight = 0;
  /** Held by a request-direction add-latency now. */
  delaying = 0;
  /** Held by a blackhole now. */
  held = 0;
  /** Requests whose body the proxy is reading now, before they go on. */
  reading = 0;
  /** Connections reset by the reset fault. */
  resets = 0;
  /** Wall ms of latency added on purpose, over every request that has finished. */
  addedMs = 0;
  /** Finished requests that had some added. */
  delayed = 0;
  /** Answers the proxy made instead of the upstream's, by reason. */
  readonly answered: Record<string, number> = {};
  /** Clients that went away before their answer was complete. */
  abandoned = 0;

  answer(reason: string): void {
    this.answered[reason] = (this.answered[reason] ?? 0) + 1;
  }

  added(ms: number): void {
    if (ms <= 0) return;
    this.addedMs += ms;
    this.delayed++;
  }
}
