// A profile plus the command line's overrides -> the concrete plan of one run. Flags replace what the
// profile says (phases, client settings) or add to it (faults, mock settings, thresholds; --no-thresholds
// drops the profile's).
import { UsageError } from '../core/errors.js';
import { ProfileError } from '../profile/load.js';
import { refusedFaults } from './preflight.js';
import { checkFault } from '../profile/fault-spec.js';
import { findFault } from '../mock/faults/registry.js';
import { formatFaultProblems } from '../core/fault-check.js';
import { findProxyFault, validateProxyFault } from '../proxy/faults/registry.js';
import { applyMockOverride, type MockConfig } from '../mock/config/index.js';
import type { Backoff, FaultSpec, Profile, RequestClass, RequestSettings } from '../profile/profile.js';
import type { ArrivalProcess } from '../schedule/arrival-schedule.js';
import { totalDurationMs, type Phase } from '../schedule/phase.js';
import { LIMITS } from '../core/limits.js';
import { formatSegment, WHOLE, type Segment } from '../core/segment.js';
import { createHash } from 'node:crypto';
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
  /** `--threshold`, added to the profile's thresholds (those it repeats are judged once). */
  thresholds?: string[];
  /** `--no-thresholds`: drop the profile's thresholds, so only `thresholds` are judged. */
  dropProfileThresholds?: boolean;
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
  segment?: Segment;
  workers?: number;
  startAt?: number;
  control?: ControlTarget;
  /** --via-proxy: send through the proxy, started in front of the target, which applies the faults. */
  viaProxy?: boolean;
  /** --skip-faults: run without the profile's faults, on purpose (the report and the result say so). */
  skipFaults?: boolean;
  /** --keep-bodies: save request bodies in the result as they are, not as a digest. */
  keepBodies?: boolean;
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
  /** The share of the run this process sends: the whole run unless --segment. */
  segment: Segment;
  /** --segment was given (0/1 included): the result is a segment's, with its `shard`, for merge and collect. */
  segmented: boolean;
  /** Worker threads that split it further (1: the load loop runs in this thread). */
  workers: number;
  /** When to start, epoch ms (--start-at); undefined: at once. */
  startAt?: number | undefined;
  /** The target is a mock (or proxy) started on its own, driven through this control API (--control). */
  control?: ControlTarget | undefined;
  /** Send through the proxy, started in front of the target URL, which applies the faults (--via-proxy, or the profile's `target: {url, proxy: true}`). */
  viaProxy: boolean;
  /** --skip-faults: `faults` are listed, not applied (each reads "skipped" in the result). */
  skipFaults: boolean;
  /** The values of the profile's `${env.NAME}`: masked ("***") wherever the run shows or saves text. */
  secrets: string[];
  /** Save request bodies as they are (--keep-bodies), not as "sha256:… (n bytes)". */
  keepBodies: boolean;
}

/** A control API given with --control: where, and the token it wants. */
export interface ControlTarget {
  url: string;
  token: string | undefined;
  /** Where the token came from, for messages. */
  tokenSource: string;
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
  const control = overrides.control;
  const viaProxy = overrides.viaProxy ?? profile.proxy ?? false;
  const fromProfile = (f: FaultSpec): number => profile.faults.indexOf(f);
  const faultSource = (f: FaultSpec): string => (fromProfile(f) < 0 ? '--fault' : `${profile.faultLocations[fromProfile(f)] ?? profile.source}: fault`);
  const skipFaults = overrides.skipFaults ?? false;
  if (skipFaults && overrides.faults?.length) throw new UsageError('--skip-faults runs without faults, and --fault adds one: give one of them');
  if (viaProxy) checkViaProxy(profile, overrides, target, faults, faultSource);
  else if (target === 'mock') {
    // The proxy's own faults (reset, bandwidth, ...) have nothing to act on in the bundled mock.
    const proxyOnly = faults.find((f) => findFault(f.fault) === undefined && findProxyFault(f.fault) !== undefined);
    if (proxyOnly)
      throw new UsageError(
        `${faultSource(proxyOnly)} ${proxyOnly.fault}: a fault of the proxy, which acts on real traffic, not of the bundled mock: run it against your service with --target <url> --via-proxy`,
      );
    checkMockFaults(profile, faults);
  }
  // Segments in several processes must share one service: n bundled mocks would be n independent systems.
  if (overrides.segment && overrides.segment.count > 1 && target === 'mock') {
    throw new UsageError(
      '--segment needs one service shared by every segment: start it once (incident-load mock <profile>) and give its --target and --control to each; for segments in this one process, use --workers instead',
    );
  }
  if (control && target === 'mock') {
    throw new UsageError(
      '--control names the control API of a mock started on its own, and goes with --target (its traffic URL); without --target, ramp starts the bundled mock and drives it itself',
    );
  }
  // Faults and mock settings need a mock to act on; against a URL without its control API they would be
  // silently meaningless. (The mock's settings are its own to set when it starts, even with --control.) A
  // fault is applied or the run does not start: a profile's faults against a URL with nobody to apply them
  // would be a chaos run that quietly becomes plain load, unless --skip-faults says so on purpose.
  const unapplied = target !== 'mock' && !control && !viaProxy && faults.length > 0 && !skipFaults;
  if (target !== 'mock' && (overrides.mock?.length || unapplied)) {
    const profileFault = faults.find((f) => fromProfile(f) >= 0);
    const flag = overrides.mock?.length ? '--mock' : overrides.faults?.length || !profileFault ? '--fault' : undefined;
    const subject = flag !== undefined ? `${flag} needs` : `the profile's faults (${faultSource(profileFault!)} ${profileFault!.fault}) need`;
    const why = flag === '--mock' ? 'it configures the simulated service' : 'faults are injected through its control API';
    const shown = redactTarget(target);
    const from = overrides.target !== undefined ? 'drop --target' : `drop the profile's target (${profile.source}: target: ${shown})`;
    const instead =
      flag !== '--mock'
        ? `, send through the proxy with --via-proxy (it applies faults to real traffic), give the control API of the mock at that URL with --control,`
        : ` (or start the mock with it: incident-load mock --mock ...)`;
    const drop = flag !== undefined ? `drop ${flag}` : 'give --skip-faults to run without them on purpose (the report and the result say so)';
    throw new UsageError(`${subject} the bundled mock (${why}), but the run sends to ${shown}: ${from}${instead} or ${drop}`);
  }
  if (phases.length === 0)
    throw new UsageError('no phases to run: give a profile, or the phases with --phase (e.g. --phase warm:10s:20 --phase surge:30s:20..200)');
  // Time compression only means something for the bundled mock, which keeps incident time: a real
  // service answers in real time, and its latencies would read `speed` times what they are.
  const speed = overrides.speed ?? profile.speed;
  if (target !== 'mock' && speed !== 1 && !control) {
    const from = overrides.speed !== undefined ? `--speed ${speed}` : `the profile's speed: ${speed} (${profile.source})`;
    throw new UsageError(
      `${from} compresses incident time, which only the bundled mock keeps: against ${redactTarget(target)} every latency would read ${speed}× its real value. Drop --target, run at --speed 1, or (for a mock started on its own at that speed) give its --control`,
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
    if (!overrides.mock?.length && refused.every((r) => fromProfile(r.fault) >= 0)) {
      throw new ProfileError(
        profile.source,
        refused.map((r) => `${profile.faultLocations[fromProfile(r.fault)] ?? profile.source} faults[${fromProfile(r.fault)}]: ${r.message}`),
      );
    }
    throw new UsageError(refused.map((r) => `${faultSource(r.fault)} ${r.fault.fault}: ${r.message}`).join('; '));
  }

  // The profile's thresholds (unless --no-thresholds), then --threshold's; each problem names its source.
  const profileExprs = overrides.dropProfileThresholds ? [] : profile.thresholds;
  const sources = [
    ...profileExprs.map((expr) => ({ expr, from: `${profile.source}: ` })),
    ...(overrides.thresholds ?? []).filter((expr) => !profileExprs.includes(expr.trim())).map((expr) => ({ expr, from: '--threshold: ' })),
  ];
  const thresholds = sources.map(({ expr, from }) => {
    let threshold: Threshold;
    try {
      threshold = parseThreshold(expr);
      checkThresholdPhases(
        [threshold],
        phases.map((p) => p.name),
        (profile.request.mix ?? []).map((c) => c.name),
      );
    } catch (err) {
      const hint =
        overrides.phases && from !== '--threshold: '
          ? " (--phase replaced the profile's phases: give --no-thresholds to drop the profile's thresholds, and --threshold for the new phases)"
          : '';
      throw new UsageError(`${from}${err instanceof Error ? err.message : String(err)}${hint}`);
    }
    return threshold;
  });

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
    // Against a URL without --control the profile's faults cannot be injected; the run reports them as not applied.
    faults,
    thresholds,
    segment: overrides.segment ?? WHOLE,
    segmented: overrides.segment !== undefined,
    workers: overrides.workers ?? 1,
    startAt: overrides.startAt,
    control,
    viaProxy,
    skipFaults,
    secrets: profile.env?.values ?? [],
    keepBodies: overrides.keepBodies ?? false,
  };
}

/**
 * The bundled mock applies the faults: each checked against its catalogue (a profile's faults were only
 * checked against either catalogue, its target being the one --target may replace), a profile's with its line.
 */
function checkMockFaults(profile: Profile, faults: readonly FaultSpec[]): void {
  const problems = faults.flatMap((f) => {
    const i = profile.faults.indexOf(f);
    return checkFault(f.fault, f.params, 'mock').map((p) => {
      const at = p.path.length > 0 && p.path[0] !== 'fault' ? `.${p.path.join('.')}` : '';
      return i >= 0 ? `${profile.faultLocations[i] ?? profile.source} faults[${i}]${at}: ${p.message}` : `--fault ${f.fault}${at}: ${p.message}`;
    });
  });
  if (problems.length === 0) return;
  if (faults.every((f) => profile.faults.includes(f))) throw new ProfileError(profile.source, problems);
  throw new UsageError(problems.join('; '));
}

/** The proxy's faults whose effect is a limit on all the traffic a proxy sees (not per request). */
const SHARED_LIMIT_FAULTS: readonly string[] = ['cap-connections', 'rate-limit'];

/**
 * --via-proxy (or a profile's `proxy: true`): a target URL to stand in front of, a proxy of its own per
 * process (so not --control, and with segments no limit that n proxies would loosen), and faults the proxy knows, each checked
 * as the proxy will check it, so a mock-only fault or a bad param is bad input now rather than a "not
 * applied" line at the end.
 */
function checkViaProxy(profile: Profile, overrides: RunOverrides, target: string, faults: readonly FaultSpec[], source: (f: FaultSpec) => string): void {
  const flag = overrides.viaProxy ? '--via-proxy' : `${profile.source}: target.proxy`;
  if (target === 'mock')
    throw new UsageError(
      overrides.viaProxy
        ? `${flag} puts the proxy in front of a real service: give its URL with --target (the bundled mock applies its faults itself)`
        : `${profile.source}: target: { proxy: true } sends through the proxy to a service whose URL --target gives: add --target <url>`,
    );
  if (overrides.control)
    throw new UsageError(
      `${flag} and --control both say who applies the faults: --via-proxy starts a proxy of its own; --control drives a mock or proxy started on its own (incident-load proxy --upstream ...)`,
    );
  // Segments run apart (--segment, incident-load k8s) each start a proxy of their own, which applies every
  // fault to its share of the traffic: the same effect for a fault that acts on each request, but a limit
  // (a rate, a number of connections) would be n times as loose in all.
  if (overrides.segment && overrides.segment.count > 1) {
    const limit = faults.find((f) => SHARED_LIMIT_FAULTS.includes(f.fault));
    if (limit)
      throw new UsageError(
        `${source(limit)} ${limit.fault}: through the proxy, each of the ${overrides.segment.count} segments starts one of its own, and a limit applied by each would be ${overrides.segment.count} times as loose in all: run one segment (k8s --segments 1, or --workers in one process), or one proxy started on its own (incident-load proxy --upstream <url>) with its traffic URL as each segment's --target and its control URL as --control`,
      );
  }
  const problems = faults.flatMap((f) => {
    const checked = validateProxyFault(f.fault, f.params);
    return checked.ok ? [] : [`${source(f)} ${formatFaultProblems(f.fault, checked.problems)}`];
  });
  if (problems.length > 0) throw new UsageError(`${problems.join('; ')} (with ${flag}, the proxy applies the faults)`);
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

/**
 * What determines a run's schedule and what it does, as a digest: the plan as it will run (profile and
 * flags), its seed, its phases, its segment count. The segments of one run agree on it; `merge` refuses
 * results that do not. Where a segment starts and which one it is are not part of it, nor the token.
 */
export function runIdentity(plan: RunPlan): string {
  const { client } = plan;
  const identity = {
    name: plan.name,
    speed: plan.speed,
    seed: plan.seed,
    target: plan.target,
    phases: plan.phases,
    client: { ...client, tls: { insecure: client.tls.insecure, caFile: client.tls.caFile } },
    mock: plan.target === 'mock' ? plan.mock : undefined,
    faults: plan.faults,
    segments: plan.segment.count,
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
}

/** "segment 2/4 of run 3fa2…" */
export function describeSegment(plan: RunPlan): string {
  return `segment ${formatSegment(plan.segment)} of run ${runIdentity(plan).slice(0, 12)}`;
}
