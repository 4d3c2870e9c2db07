// The round trip a virtual run gives its client when none is given; apart from virtual-run.ts so that the
// CLI can say it in --help without loading the run engine.

/** The client's network round trip when none is given: a loopback round trip at speed 1, incident ms. */
export const DEFAULT_RTT_MS = 0.2;
