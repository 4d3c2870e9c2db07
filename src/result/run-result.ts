// The result of a run, as written by `--json` (schema "incident-load/result@1") and as read back by
// `compare`. Every duration, latency and rate here is in incident time; `profile.speed` recovers wall time.

import type { RequestClass } from '../core/request.js';

export const RESULT_SCHEMA = 'incident-load/result@1';

import type { LatencySummary } from '../core/latency-histogram.js';

export type { LatencySummary };

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
  /** hdr-histogram-js compressed base64 of latencyMs, recorded in microseconds. */
  histogram: string;
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

export interface TimelineWindow {
  /** Incident ms from the start of the run to the start of the window. */
  t: number;
  durationMs: number;
  offered: number;
  ok: number;
  failed: number;
  dropped: number;
  /** Latency of requests that completed in the window, incident ms; null when none did. */
  p50: number | null;
  p99: number | null;
  mock?: MockSample;
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
 * A part the run depends on failed, and the run stopped there (what was measured is kept). Only the
 * bundled mock can fail so: it exited, or its control API stopped answering.
 */
export interface RunFailure {
  kind: 'mock-exited' | 'mock-unresponsive';
  /** Incident ms from the start of the run: when the mock exited, or when it last went unanswered from. */
  atMs: number;
  /** One line, e.g. "the bundled mock exited (SIGKILL)". */
  message: string;
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
  phases: PhaseResult[];
  total: PhaseResult;
  timeline: TimelineWindow[];
  faults: FaultOutcome[];
  thresholds: ThresholdResult[];
}
