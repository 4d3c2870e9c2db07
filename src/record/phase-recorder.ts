// Everything measured about one phase, added one event at a time (Vegeta's metrics.Add) and turned into
// a PhaseResult once at the end. Requests belong to the phase of their first intended send, whenever
// they finish. With a request mix every event is recorded for the phase and for its class; the
// histograms only in the class, the phase's being its classes' merged at the end (half the recording,
// and no histograms held twice).
import type { PhaseResult } from '../result/run-result.js';
import { ExpectedStatuses } from '../core/expected-statuses.js';
import type { Outcome } from '../dispatch/outcome.js';
import { createHistogram, mergeHistograms, recordMs, type Histogram } from '../core/latency-histogram.js';
import { addedCounts, addedMaps, phaseResult } from '../result/phase-result.js';

export interface PhaseRecorderOptions {
  name: string;
  model: 'open' | 'closed';
  /** Incident ms from the start of the run, and the phase's planned length. */
  startMs: number;
  durationMs: number;
  /** Closed model: the number of virtual users. */
  vus?: number | undefined;
  /** With a request mix: its classes' names, in mix order. */
  classNames?: readonly string[] | undefined;
  /** What counts as success (ok); the rest of the outcomes are failures (2xx unless given). */
  expected?: ExpectedStatuses | undefined;
}

/**
 * A phase's figures. Every record… method takes the request's class, and counts the event for the phase
 * and for its class alike (without a mix there is one class, 0, which is the phase itself).
 */
export class PhaseRecorder {
  readonly name: string;
  readonly model: 'open' | 'closed';
  readonly startMs: number;
  readonly durationMs: number;
  readonly vus: number | undefined;
  offered = 0;
  sent = 0;
  dropped = 0;
  ok = 0;
  failed = 0;
  unfinished = 0;
  attempts = 0;
  retries = 0;
  readonly statuses = new Map<number, number>();
  readonly errors = new Map<string, number>();
  /** With a request mix: the same figures for each class's requests alone (named after the class). */
  readonly classes: PhaseRecorder[] | undefined;
  /** Undefined with a request mix: the classes hold the histograms. */
  readonly #own: OwnHistograms | undefined;
  readonly #expected: ExpectedStatuses;

  constructor(options: PhaseRecorderOptions) {
    this.name = options.name;
    this.model = options.model;
    this.startMs = options.startMs;
    this.durationMs = options.durationMs;
    this.vus = options.vus;
    this.#expected = options.expected ?? ExpectedStatuses.DEFAULT;
    // The phase's virtual users are shared by the classes: a class has no user count of its own.
    this.classes = options.classNames?.map((name) => new PhaseRecorder({ ...options, name, vus: undefined, classNames: undefined }));
    this.#own = this.classes
      ? undefined
      : { latency: createHistogram(), failedLatency: createHistogram(), service: createHistogram(), sendLag: createHistogram() };
  }

  recordOffered(cls = 0): void {
    this.offered++;
    this.classes?.[cls]!.recordOffered();
  }

  recordDropped(cls = 0): void {
    this.dropped++;
    increment(this.errors, 'dropped');
    this.classes?.[cls]!.recordDropped();
  }

  /**
   * A logical request's first attempt went out, `lagMs` (incident) after its intended send time;
   * undefined for a closed-model user, whose intended send is its actual send.
   */
  recordSent(lagMs: number | undefined, cls = 0): void {
    this.sent++;
    if (lagMs !== undefined && this.#own) recordMs(this.#own.sendLag, lagMs);
    this.classes?.[cls]!.recordSent(lagMs);
  }

  recordAttempt(isRetry: boolean, cls = 0): void {
    this.attempts++;
    if (isRetry) this.retries++;
    this.classes?.[cls]!.recordAttempt(isRetry);
  }

  /** The final outcome of a logical request, its latency from the intended send and its last attempt's service time (incident ms). */
  recordOutcome(outcome: Outcome, latencyMs: number, serviceMs: number, cls = 0): void {
    const own = this.#own;
    if (own) {
      recordMs(own.latency, latencyMs);
      recordMs(own.service, serviceMs);
    }
    if (outcome.kind === 'status') {
      increment(this.statuses, outcome.status);
      if (this.#expected.has(outcome.status)) this.ok++;
      else this.#failed(own, latencyMs);
    } else {
      increment(this.errors, outcome.error);
      this.#failed(own, latencyMs);
    }
    this.classes?.[cls]!.recordOutcome(outcome, latencyMs, serviceMs);
  }

  recordUnfinished(cls = 0): void {
    this.unfinished++;
    this.classes?.[cls]!.recordUnfinished();
  }

  #failed(own: OwnHistograms | undefined, latencyMs: number): void {
    this.failed++;
    if (own) recordMs(own.failedLatency, latencyMs);
  }

  /** Every completion's latency, each first attempt's send lag, and each final attempt's service time. */
  get latency(): Histogram {
    return this.#own ? this.#own.latency : mergeHistograms(this.classes!.map((c) => c.latency));
  }

  get sendLag(): Histogram {
    return this.#own ? this.#own.sendLag : mergeHistograms(this.classes!.map((c) => c.sendLag));
  }

  get service(): Histogram {
    return this.#own ? this.#own.service : mergeHistograms(this.classes!.map((c) => c.service));
  }

  /** The successes' latencies: every completion's minus the failures'. */
  okLatency(): Histogram {
    if (!this.#own) return mergeHistograms(this.classes!.map((c) => c.okLatency()));
    const ok = mergeHistograms([this.#own.latency]);
    ok.subtract(this.#own.failedLatency);
    return ok;
  }

  /** The phase's result, rates computed over `coveredMs` (the planned duration unless interrupted). */
  result(coveredMs = this.durationMs): PhaseResult {
    const result = phaseResult(this, this.latency, this.okLatency(), this.service, this.sendLag, coveredMs);
    if (this.classes) result.mix = this.classes.map((c) => c.result(coveredMs));
    return result;
  }
}

interface OwnHistograms {
  latency: Histogram;
  /** Failures only; the successes' histogram is latency minus this (most requests succeed: one record fewer). */
  failedLatency: Histogram;
  service: Histogram;
  sendLag: Histogram;
}

/** One result for several recorders (the run's total, or a class's total): counts added, histograms merged. */
export function mergedResult(name: string, recorders: readonly PhaseRecorder[], coveredMs: number): PhaseResult {
  const models = new Set(recorders.map((p) => p.model));
  return phaseResult(
    {
      name,
      model: models.size === 1 && models.has('closed') ? 'closed' : 'open',
      startMs: 0,
      ...addedCounts(recorders),
      statuses: addedMaps(recorders.map((p) => p.statuses)),
      errors: addedMaps(recorders.map((p) => p.errors)),
    },
    mergeHistograms(recorders.map((p) => p.latency)),
    mergeHistograms(recorders.map((p) => p.okLatency())),
    mergeHistograms(recorders.map((p) => p.service)),
    mergeHistograms(recorders.map((p) => p.sendLag)),
    coveredMs,
  );
}

function increment<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
