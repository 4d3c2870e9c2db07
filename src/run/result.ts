// A run's result assembled from what was measured, whichever world it ran in (start-run.ts over HTTP,
// virtual-run.ts in virtual time): the profile as it ran (secrets masked, bodies as digests), the
// measurements, the timeline with the mock's or proxy's samples, the faults' outcomes, the thresholds.
import { createHash } from 'node:crypto';
import { SKIPPED_FAULT_ERROR } from '../core/fault-outcome.js';
import { redactHeaders } from '../core/http-header.js';
import type { RequestClass } from '../core/request.js';
import { toolVersion } from '../core/version.js';
import { maskSecrets } from '../profile/env-refs.js';
import { RESULT_SCHEMA, type FaultOutcome, type RunResult, type SegmentSummary, type ShardInfo, type TimelineWindow } from '../result/run-result.js';
import { totalDurationMs } from '../schedule/phase.js';
import { evaluateThresholds } from '../threshold/evaluate.js';
import type { RunMeasurement } from './engine/load-run.js';
import type { WindowSample } from './mock-companion.js';
import type { RunPlan } from './plan.js';

export function resultOf(
  plan: RunPlan,
  origin: string,
  request: RunPlan['client']['request'],
  measured: RunMeasurement & { segments?: SegmentSummary[] },
  timeline: TimelineWindow[],
  faults: FaultOutcome[],
  shard: ShardInfo | undefined,
  proxyUrl: string | undefined,
): RunResult {
  // As sent: paths under the target's.
  const mix = request.mix;
  return {
    schema: RESULT_SCHEMA,
    tool: { name: 'incident-load', version: toolVersion() },
    profile: {
      name: plan.name,
      speed: plan.speed,
      seed: plan.seed,
      target: plan.target === 'mock' ? `mock (${origin})` : maskSecrets(plan.target, plan.secrets),
      ...(proxyUrl !== undefined ? { proxy: proxyUrl } : {}),
      arrivals: plan.client.arrivals,
      expectedStatuses: plan.client.expectedStatuses,
      ...(mix ? { mix: mix.map((c) => savedClass(c, plan)) } : {}),
    },
    startedAt: measured.startedAt,
    wallMs: measured.wallMs,
    plannedMs: totalDurationMs(plan.phases),
    interrupted: measured.interrupted,
    ...(measured.failure ? { failure: measured.failure } : {}),
    readiness: measured.readiness,
    ...(shard ? { shard } : {}),
    ...(measured.segments ? { segments: measured.segments } : {}),
    phases: measured.phases,
    total: measured.total,
    timeline,
    faults,
    thresholds: evaluateThresholds(plan.thresholds, measured),
  };
}

/**
 * A request class as the result keeps it: credential headers as "***", every value from the environment
 * masked, and the body as its digest and length unless --keep-bodies (a login body's password stays out).
 */
function savedClass(c: RequestClass, plan: RunPlan): RequestClass {
  const mask = (text: string): string => maskSecrets(text, plan.secrets);
  const saved: RequestClass = { ...c };
  if (c.path !== undefined) saved.path = mask(c.path);
  if (c.headers) saved.headers = Object.fromEntries(Object.entries(redactHeaders(c.headers)).map(([k, v]) => [k, mask(v)]));
  if (c.body !== undefined) saved.body = plan.keepBodies ? mask(c.body) : bodyDigest(c.body);
  return saved;
}

/** "sha256:<64 hex> (123 bytes)": enough to tell two bodies apart, nothing of what they say. */
export function bodyDigest(body: string): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')} (${Buffer.byteLength(body)} bytes)`;
}

/** The timeline with the mock's (or the proxy's) state at the end of each window it was sampled for. */
export function withSamples(timeline: TimelineWindow[], samples: ReadonlyMap<number, WindowSample> | undefined): TimelineWindow[] {
  if (!samples) return timeline;
  return timeline.map((w, i) => {
    const sample = samples.get(i);
    return sample ? { ...w, ...sample } : w;
  });
}

/** The plan's faults as a --skip-faults run reports them: each listed, none applied. */
export function skippedFaults(plan: RunPlan): FaultOutcome[] {
  return plan.faults.map((f) => ({ at: f.at, fault: f.fault, params: f.params, error: SKIPPED_FAULT_ERROR }));
}
