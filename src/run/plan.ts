// A profile plus the command line's overrides -> the concrete plan of one run. Flags replace what the
// profile says (phases, client settings, thresholds) or add to it (faults, mock settings).
import { UsageError } from '../core/errors.js';
import { ProfileError } from '../profile/load.js';
import { refusedFaults } from './preflight.js';
import { applyMockOverride, type MockConfig } from '../mock/config/index.js';
import type { Backoff, FaultSpec, Profile, RequestClass, RequestSettings } from '../profile/profile.js';
import type { ArrivalProcess } from '../schedule/arrival-schedule.js';
import { totalDurationMs, type Phase } from '../schedule/phase.js';
import { LIMITS } from '../core/limits.js';
import { redactTarget, targetAuthorization } from '../profile/target.js';
import { formatDays, formatDuration } from '../core/units.js';
import { parseThreshold, checkThresholdPhases } from '../threshold/parse.js';
import type { Threshold } from '../threshold/parse.js';
import type { ClientOptions } from './engine/load-run.js';

export interface RunOverrides {
  target?: string;
  phases?: Phase[];
  connections?: number;
  maxInFlight?: number;
  timeoutMs?: number;
  retries?: number;
  backoff?: Backoff;
  arrivals?: ArrivalProcess;
  thresholds?: string[];
  /** `--mock key=value`, applied in order on top of the profile's mock section. */
  mock?: [string, string][];
  /** `--fault`, added to the profile's faults. */
  faults?: FaultSpec[];
  speed?: number;
  seed?: number;
  /** --method, --header (added to the profile's headers), --body. */
  request?: Partial<RequestSettings>;
  /** --expected-statuses, canonical text. */
  expectedStatuses?: string;
  redirects?: number;
  insecure?: boolean;
  /** --ca: the file and its PEM text. */
  ca?: { file: string; pem: string };
}

export interface RunPlan {
  name: string;
  description: string;
  speed: number;
  seed: number;
  /** "mock" or the target URL. */
  target: string;
  phases: Phase[];
  client: ClientOptions;
  /** Only for target "mock". */
  mock: MockConfig;
  faults: FaultSpec[];
  thresholds: Threshold[];
}

export function buildRunPlan(profile: Profile, overrides: RunOverrides = {}): RunPlan {
  const target = overrides.target ?? profile.target;
  const phases = overrides.phases ?? profile.phases;
  const retries = { ...profile.client.retries };
  if (overrides.retries !== undefined) retries.max = overrides.retries;
  if (overrides.backoff !== undefined) retries.backoff = overrides.backoff;

  let mock = profile.mock;
  for (const [key, value] of overrides.mock ?? []) {
    try {
      mock = applyMockOverride(mock, key, value);
    } catch (err) {
      throw new UsageError(`--mock ${key}=${value}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const faults = [...profile.faults, ...(overrides.faults ?? [])].sort((a, b) => a.at - b.at);
  // Faults and mock settings need the bundled mock; against a URL they would be silently meaningless.
  if (target !== 'mock' && (overrides.faults?.length || overrides.mock?.length)) {
    const flag = overrides.faults?.length ? '--fault' : '--mock';
    const why = flag === '--fault' ? 'faults are injected through its control API' : 'it configures the simulated service';
    const shown = redactTarget(target);
    const from = overrides.target !== undefined ? 'drop --target' : `drop the profile's target (${profile.source}: target: ${shown})`;
    throw new UsageError(`${flag} needs the bundled mock (${why}), but the run sends to ${shown}: ${from} or drop ${flag}`);
  }
  if (phases.length === 0)
    throw new UsageError('no phases to run: give a profile, or the phases with --phase (e.g. --phase warm:10s:20 --phase surge:30s:20..200)');
  // Time compression only means something for the bundled mock, which keeps incident time: a real
  // service answers in real time, and its latencies would read `speed` times what they are.
  const speed = overrides.speed ?? profile.speed;
  if (target !== 'mock' && speed !== 1) {
    const from = overrides.speed !== undefined ? `--speed ${speed}` : `the profile's speed: ${speed} (${profile.source})`;
    throw new UsageError(
      `${from} compresses incident time, which only the bundled mock keeps: against ${redactTarget(target)} every latency would read ${speed}× its real value. Drop --target, or run at --speed 1`,
    );
  }
  // A --fault after the phases end would never be applied: the same rule as for a profile's faults.
  const endMs = totalDurationMs(phases);
  for (const f of overrides.faults ?? []) {
    if (f.at >= endMs)
      throw new UsageError(
        `--fault ${formatDuration(f.at)}:${f.fault}: expected a time before the run ends (its phases end at ${formatDuration(endMs)}): it would never be applied`,
      );
  }
  if (endMs > LIMITS.durationMaxMs)
    throw new UsageError(`--phase: expected phases that last at most ${formatDays(LIMITS.durationMaxMs)} end to end, got ${formatDays(endMs)}`);

  // The preflight, once, of the faults as they will run (the profile's and --fault, on the mock as
  // --mock leaves it). A profile's own refused faults read as its problems, with their lines.
  const refused = refusedFaults(target, mock, faults, overrides.seed ?? profile.seed);
  if (refused.length > 0) {
    const fromProfile = (f: FaultSpec): number => profile.faults.indexOf(f);
    if (!overrides.mock?.length && refused.every((r) => fromProfile(r.fault) >= 0)) {
      throw new ProfileError(
        profile.source,
        refused.map((r) => `${profile.faultLocations[fromProfile(r.fault)] ?? profile.source} faults[${fromProfile(r.fault)}]: ${r.message}`),
      );
    }
    const from = (f: FaultSpec): string => (fromProfile(f) < 0 ? '--fault' : `${profile.faultLocations[fromProfile(f)] ?? profile.source}: fault`);
    throw new UsageError(refused.map((r) => `${from(r.fault)} ${r.fault.fault}: ${r.message}`).join('; '));
  }

  const exprs = overrides.thresholds ?? profile.thresholds;
  const thresholdsFrom = overrides.thresholds ? '--threshold: ' : `${profile.source}: `;
  const thresholds = exprs.map((expr) => {
    try {
      return parseThreshold(expr);
    } catch (err) {
      throw new UsageError(`${thresholdsFrom}${err instanceof Error ? err.message : String(err)}`);
    }
  });
  try {
    checkThresholdPhases(
      thresholds,
      phases.map((p) => p.name),
      (profile.request.mix ?? []).map((c) => c.name),
    );
  } catch (err) {
    const hint = overrides.phases && !overrides.thresholds ? " (--phase replaced the profile's phases; give --threshold to replace its thresholds too)" : '';
    throw new UsageError(`${thresholdsFrom}${err instanceof Error ? err.message : String(err)}${hint}`);
  }

  const request = {
    ...profile.request,
    ...overrides.request,
    headers: { ...profile.request.headers, ...overrides.request?.headers },
  };
  // Credentials in the target URL go out as Basic authorization (as curl sends them), unless a header
  // says otherwise; the URL kept in the plan (and shown, and saved) has its password masked.
  const authorization = target === 'mock' ? undefined : targetAuthorization(new URL(target));
  if (authorization !== undefined && request.headers.authorization === undefined) request.headers.authorization = authorization;
  return {
    name: profile.name,
    description: profile.description,
    speed,
    seed: overrides.seed ?? profile.seed,
    target: target === 'mock' ? target : redactTarget(target),
    phases,
    client: {
      connections: overrides.connections ?? profile.client.connections,
      maxInFlight: overrides.maxInFlight ?? profile.client.maxInFlight,
      timeoutMs: overrides.timeoutMs ?? profile.client.timeoutMs,
      arrivals: overrides.arrivals ?? profile.client.arrivals,
      retries,
      expectedStatuses: overrides.expectedStatuses ?? profile.client.expectedStatuses,
      redirects: overrides.redirects ?? profile.client.redirects,
      tls: {
        insecure: overrides.insecure ?? profile.client.tls.insecure,
        ...(overrides.ca !== undefined
          ? { ca: overrides.ca.pem, caFile: overrides.ca.file }
          : { ca: profile.client.tls.ca, caFile: profile.client.tls.caFile }),
      },
      request: {
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body,
        mix: mixWithOverrides(profile.request.mix, overrides.request),
      },
    },
    mock,
    // Against a URL the profile's faults cannot be injected; the run reports them as not applied.
    faults,
    thresholds,
  };
}

/** The command line's --method, --header and --body win over what a mix's classes say. */
function mixWithOverrides(mix: readonly RequestClass[] | undefined, overrides: Partial<RequestSettings> | undefined): readonly RequestClass[] | undefined {
  if (!mix || !overrides) return mix;
  return mix.map((c) => ({
    ...c,
    ...(overrides.method !== undefined ? { method: overrides.method } : {}),
    ...(overrides.body !== undefined ? { body: overrides.body } : {}),
    headers: { ...c.headers, ...overrides.headers },
  }));
}
