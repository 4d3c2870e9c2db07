// The result of a run, as written by `--json` (schema "incident-load/result@2") and as read back by
// `compare`, `merge` and `report`. Every duration, latency and rate here is in incident time;
// `profile.speed` recovers wall time. Everything a merge needs is here exactly: counts, and every
// latency figure as an encoded HDR histogram (per phase, per class, per timeline window), so results of
// the segments of one run add up to the run's own, percentiles included.
//
// @2 over @1: the histograms of the successes, the service and the send lag beside every completion's
// (`histograms`, replacing `histogram`), one per timeline window, and which segment of which run a
// result is (`shard`), or which segments a merged one was made from (`segments`).
import type { LatencySummary } from '../core/latency-histogram.js';
import type { RequestClass } from '../core/request.js';

export const RESULT_SCHEMA = 'incident-load/result@2';
/** The other document this tool writes: `compare --json` (report/compare/document.ts). */
export const COMPARE_SCHEMA = 'incident-load/compare@2';

export type { LatencySummary };

/** Encoded HDR histograms (hdr-histogram-js compressed base64, microseconds) of a phase's latencies. */
export interface PhaseHistograms {
  /** Every completed request, from its first intended send to its final outcome (latencyMs). */
  latency: string;
  /** Successes only (okLatencyMs). */
  ok: string;
  /** The final attempt's service time (serviceMs). */
  service: string;
  /** Each first attempt's send lag (sendLagMs). */
  sendLag: string;
}

export interface PhaseResult {
  name: string;
  /** Closed-model phases loop `vus` clients; open-model phases follow the arrival schedule. */
  model: 'open' | 'closed';
  /** Closed model only: the number of virtual users. */
  vus?: number;
  /** Incident time, ms from the start of the run. */
  startMs: number;
  durationMs: number;
  /** Open model: arrivals the schedule intended in this phase. Closed model: requests the VUs started. */
  offered: number;
  sent: number;
  /** Arrivals refused by --max-in-flight: counted, never sent late. */
  dropped: number;
  ok: number;
  /** Completed without success (non-2xx or an error); dropped arrivals are not in here. */
  failed: number;
  /** Requests still in flight when an interrupted run stopped. */
  unfinished: number;
  /** Every attempt, first ones and retries. attempts / sent = amplification. */
  attempts: number;
  retries: number;
  successRatio: number;
  rps: { offered: number; achieved: number; goodput: number };
  /** Every completed request, from its first intended send to its final outcome. */
  latencyMs: LatencySummary | null;
  /** Successes only. */
  okLatencyMs: LatencySummary | null;
  /** From the actual send of the final attempt to its outcome (what the server took). */
  serviceMs: LatencySummary | null;
  /** How late first attempts went out: actual send minus intended send (open model; null for closed-model phases). */
  sendLagMs: LatencySummary | null;
  /** Final outcomes by HTTP status. */
  statuses: Record<string, number>;
  /** Final outcomes without a status, by kind: timeout, ECONNREFUSED, ECONNRESET, dropped, ... */
  errors: Record<string, number>;
  /** The histograms the summaries above were read from. */
  histograms: PhaseHistograms;
  /**
   * With a request mix (profile `request.mix`): the same figures for each class's requests alone, in mix
   * order, `name` being the class's. Absent without a mix.
   */
  mix?: PhaseResult[];
}

export interface MockSample {
  queued: number;
  busy: number;
  workers: number;
  /** null when the mock runs without routers. */
  routersReady: number | null;
}

/**
 * The proxy's state at the end of a window (`ramp --via-proxy`, or --control naming a proxy). `requests`
 * and `addedMs` run from the proxy's start: the difference between two samples is what happened between.
 */
export interface ProxySample {
  /** Requests at the upstream (sent, answer not complete). */
  inFlight: number;
  /** Waiting at a cap-connections. */
  queued: number;
  /** Held by a blackhole. */
  held: number;
  /** Faults active. */
  active: number;
  /** Requests that arrived at the proxy so far. */
  requests: number;
  /** Wall ms the proxy added on purpose (add-latency, the wait at a cap, bandwidth) to the requests finished so far. */
  addedMs: number;
  /** Of them, how many had some added. */
  delayed: number;
}

export interface TimelineWindow {
  /** Incident ms from the start of the run to the start of the window. */
  t: number;
  durationMs: number;
  offered: number;
  ok: number;
  failed: number;
  dropped: number;
  /**
   * Attempts of the requests that completed in the window, first ones and retries (attempts ÷ (ok +
   * failed) is the window's amplification). Absent in results written before it existed.
   */
  attempts?: number;
  /** Latency of requests that completed in the window (every outcome), incident ms; null when none did. */
  p50: number | null;
  p99: number | null;
  /** Their HDR histogram, encoded (so merged windows have exact percentiles). */
  histogram: string;
  /**
   * The successes' latencies alone (what compare's p50 and p99 read), encoded the same way; absent in
   * results written before it existed.
   */
  okHistogram?: string;
  mock?: MockSample;
  proxy?: ProxySample;
}

/** Which segment of which run a result is: `ramp --segment i/n` (or one worker of --workers). */
export interface ShardInfo {
  /**
   * What determines the schedule, as a digest: the profile as it ran (after flags), its seed, its
   * phases, the segment count. Results merge only when they agree on it.
   */
  run: string;
  index: number;
  count: number;
  /** When the segment was asked to start (--start-at; else when it was started), and when its first tick ran: ISO 8601. */
  requestedStart: string;
  actualStart: string;
  /** actualStart - requestedStart, wall ms. */
  startSkewMs: number;
}

/** One segment's figures in a merged result: what tells a sick or overloaded generator from the rest. */
export interface SegmentSummary {
  index: number;
  offered: number;
  /** Completed requests per second of incident time. */
  achieved: number;
  successRatio: number;
  /** Of successes, incident ms; null when none. */
  p99: number | null;
  /** Send lag p99 of its open-model arrivals, incident ms; null when it had none. */
  sendLagP99: number | null;
  startSkewMs: number;
  interrupted: boolean;
  failure?: RunFailure;
}

export interface FaultOutcome {
  /** Incident ms from the start of the run. */
  at: number;
  fault: string;
  params: Record<string, unknown>;
  /** Set when the fault could not be applied (the run goes on; the report says so). */
  error?: string;
}

export interface ThresholdResult {
  expr: string;
  ok: boolean;
  actual: number;
}

/**
 * A part the run depends on failed, and the run stopped there (what was measured is kept): the bundled
 * mock or the proxy exited, or its control API stopped answering, or a worker thread died.
 */
export interface RunFailure {
  kind: 'mock-exited' | 'mock-unresponsive' | 'worker-exited' | 'proxy-exited' | 'proxy-unresponsive';
  /** Incident ms from the start of the run: when the mock exited, or when it last went unanswered from. */
  atMs: number;
  /** One line, e.g. "the bundled mock exited (SIGKILL)". */
  message: string;
}

/**
 * Before t0, in wall time: the warm-up (requests the same client sent to a sink inside the process, never
 * to the target) and the connections opened to the target ahead of the first arrival. Summed over a
 * run's worker threads; the longest warm-up.
 */
export interface Readiness {
  warmUpRequests: number;
  warmUpWallMs: number;
  preconnected: number;
  /** Median set-up time of one connection, wall ms; absent when none opened (the target refused them). */
  connectWallMs?: number;
}

export interface RunResult {
  schema: typeof RESULT_SCHEMA;
  tool: { name: string; version: string };
  /** What ran; `mix` is the request mix as the profile defines it (classes, shares, what each changes). */
  profile: {
    name: string;
    speed: number;
    seed: number;
    target: string;
    /** With `--via-proxy`: the proxy's traffic URL the requests went to (the target being its upstream). */
    proxy?: string;
    /**
     * 'virtual': the run was simulated (`ramp --virtual`): the bundled mock's model in process, on an exact
     * virtual clock; `wallMs` is then the real time the simulation took, and `speed` is 1. Absent: a real run.
     */
    clock?: 'virtual';
    /** A virtual run's client round trip, incident ms. */
    rttMs?: number;
    arrivals: 'uniform' | 'poisson';
    /** The statuses that counted as success ("200-299" unless the profile or --expected-statuses said otherwise). */
    expectedStatuses?: string;
    /** Secret header values (authorization, cookie, ...) are saved as "***". */
    mix?: RequestClass[];
  };
  startedAt: string;
  /** Wall-clock duration of the run in ms (incident time / speed, plus draining). */
  wallMs: number;
  /** The planned length of the run, incident ms (the phases end to end). */
  plannedMs: number;
  /** True when the run was cut short by SIGINT/SIGTERM. */
  interrupted: boolean;
  /** Set when the run broke: the bundled mock exited or stopped answering (absent otherwise). */
  failure?: RunFailure;
  /** What the generator did before t0 so that its first second keeps the schedule (absent in older results). */
  readiness?: Readiness;
  /** A segment of a run (ramp --segment): which one, of which run. */
  shard?: ShardInfo;
  /** A result merged from segments (merge, --workers): each one's figures, in segment order. */
  segments?: SegmentSummary[];
  phases: PhaseResult[];
  total: PhaseResult;
  timeline: TimelineWindow[];
  faults: FaultOutcome[];
  thresholds: ThresholdResult[];
}
