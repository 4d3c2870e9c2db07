// The stated limits of every number a person can write (flags, profiles, the mock's settings). Anything
// beyond is bad input (exit 2) rather than a run that never ends or runs out of memory. The docs list them.
export const LIMITS = {
  /** Time compression: incident ms per wall ms. */
  speedMin: 0.01,
  speedMax: 10_000,
  seedMax: 2 ** 32 - 1,
  connectionsMax: 100_000,
  maxInFlightMax: 1_000_000,
  retriesMax: 100,
  redirectsMax: 20,
  /** Worker threads of one process (--workers). */
  workersMax: 64,
  vusMax: 100_000,
  /** Requests per second, per phase (a constant rate or either end of a ramp). */
  rateMax: 1_000_000,
  /** Any one duration, and the phases end to end: 30 days. */
  durationMaxMs: 30 * 86_400_000,
  /** Any size in bytes: 1 PB. */
  bytesMax: 1e15,
  /** A request body (inline or --body @file): 16 MiB. */
  bodyBytesMax: 16 * 1024 * 1024,
  /** A profile file: 16 MiB. */
  profileBytesMax: 16 * 1024 * 1024,
  /** Entries in a profile's lists. */
  phasesMax: 1_000,
  faultsMax: 1_000,
  thresholdsMax: 1_000,
  classesMax: 100,
  headersMax: 100,
  /** Runs a side in compare: --repeat, or saved results in a directory. */
  repeatMax: 100,
  /** Variants of one sweep: the values of its --vary, or their product for two. */
  sweepVariantsMax: 100,
} as const;
