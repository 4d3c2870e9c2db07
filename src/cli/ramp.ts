// `incident-load ramp [profile]`: run a profile (the bundled quickstart by default) against the bundled
// mock or --target, print the report, write --json, and exit 0 (thresholds held), 1 (one failed),
// 2 (bad input), 3 (the run broke: the bundled mock exited or stopped answering, or --json or --html could
// not be written where asked) or 130 (interrupted), the last two after the partial report and JSON are out.
import { closeSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parsePhaseSpec } from '../profile/phase-spec.js';
import { loadProfile, oneOffProfile, readCa } from '../profile/load.js';
import { ExpectedStatuses } from '../core/expected-statuses.js';
import { availableParallelism } from 'node:os';
import { parseSegment, type Segment } from '../core/segment.js';
import { RESULT_SCHEMA } from '../result/run-result.js';
import { controlUrl, findToken, TOKEN_FILE_HELP, TOKEN_HELP } from './control-target.js';
import { BACKOFFS, type Profile } from '../profile/profile.js';
import { METHODS } from '../core/request.js';
import { checkTargetUrl } from '../profile/target.js';
import { parseFaultSpec } from '../profile/fault-spec.js';
import { formatDuration, UnitError } from '../core/units.js';
import { HEADER_NAME, HEADER_NAME_EXPECTED, parseHeaderValue } from '../core/http-header.js';
import { buildRunPlan, type RunOverrides } from '../run/plan.js';
import { DEFAULT_RTT_MS } from '../run/virtual-rtt.js';
import { checkJsonTarget, checkReportTargets } from './output-file.js';
import { choiceFlag, collect, durationFlag, keyValue, valueFlag } from './flags.js';
import * as values from '../core/values.js';
import { LIMITS } from '../core/limits.js';
import { print } from './terminal.js';
import { UsageError } from '../core/errors.js';
import { listenAddress } from '../core/listener-guard.js';
import { checkControlToken } from '../mock/control-api.js';
import { readTokenFile, TokenFileError } from '../mock/token-file.js';
import type { BarrierPlan } from '../run/barrier/meet.js';
import { BarrierError } from '../run/barrier/protocol.js';

/** --barrier-timeout's default: long enough for pods to be scheduled and pull the image, short enough for CI. */
export const BARRIER_TIMEOUT_DEFAULT_MS = 120_000;

export interface RampOptions {
  target?: string;
  phase?: string[];
  connections?: number;
  maxInFlight?: number;
  timeout?: number;
  retries?: number;
  backoff?: 'none' | 'exponential' | 'full-jitter';
  arrivals?: 'uniform' | 'poisson';
  threshold?: string[];
  /** False with --no-thresholds: the profile's thresholds are dropped. */
  thresholds: boolean;
  mock?: [string, string][];
  fault?: string[];
  speed?: number;
  seed?: number;
  method?: string;
  header?: [string, string][];
  body?: string;
  expectedStatuses?: string;
  redirects?: number;
  insecure?: boolean;
  ca?: string;
  segment?: Segment;
  workers?: number;
  startAt?: number;
  control?: string;
  viaProxy?: boolean;
  skipFaults?: boolean;
  keepBodies?: boolean;
  token?: string;
  tokenFile?: string;
  barrier?: string;
  barrierHost?: string;
  barrierTokenFile?: string;
  barrierTimeout?: number;
  shardStdout?: boolean;
  virtual?: boolean;
  rtt?: number;
  json?: string;
  html?: string;
  junit?: string;
  summaryMd?: string;
  quiet?: boolean;
  color: boolean;
  progress: boolean;
}

export function rampCommand(): Command {
  return new Command('ramp')
    .description('run a profile: a traffic ramp against the bundled mock (default) or --target, with a per-phase report')
    .argument('[profile]', 'bundled profile name or path to a .yaml/.json profile (none: the quickstart, or with --phase or --target a one-off run)')
    .option('-t, --target <url>', 'send to this http(s) URL instead of starting the bundled mock')
    .option('-p, --phase <spec>', 'replace the phases (repeatable): name:duration:rate | name:duration:from..to | name:duration:vus=N', collect(String))
    .option('-c, --connections <n>', 'connection pool size', valueFlag('--connections', values.connections))
    .option(
      '--max-in-flight <n>',
      'arrivals over this many outstanding requests are dropped (counted), never sent late',
      valueFlag('--max-in-flight', values.maxInFlight),
    )
    .option('--timeout <dur>', 'client timeout per attempt, incident time (e.g. 5s, 1m)', durationFlag('--timeout', { positive: true }))
    .option('--retries <n>', 'retries per request after the first attempt', valueFlag('--retries', values.retries))
    .addOption(new Option('--backoff <kind>', 'backoff between retries: none, exponential, full-jitter').argParser(choiceFlag('--backoff', BACKOFFS)))
    .addOption(
      new Option('--arrivals <kind>', 'spacing of open-model arrivals: uniform (even) or poisson (seeded)').argParser(
        choiceFlag('--arrivals', ['uniform', 'poisson'] as const),
      ),
    )
    .option('-m, --method <method>', "HTTP method (default GET, or the profile's request.method)", choiceFlag('--method', METHODS))
    .option('-H, --header <header>', 'request header (repeatable), "name: value"', collect(headerFlag))
    .option('--body <text|@file>', 'request body, or @path to read it from a file')
    .option(
      '--expected-statuses <list>',
      'statuses that count as success, e.g. 200-399 or 2xx,409 (default 200-299)',
      valueFlag('--expected-statuses', (raw) => ExpectedStatuses.parse(raw).text),
    )
    .option('--redirects <n>', 'follow up to n redirects per attempt (default 0: a 3xx is the answer)', valueFlag('--redirects', values.redirects))
    .option('-k, --insecure', 'accept any TLS certificate (a staging service with a self-signed one)')
    .option('--ca <file>', "trust the CA certificates in this PEM file, besides the system's")
    .option(
      '--threshold <expr>',
      'pass/fail rule (repeatable), added to the profile\'s: [phase][@class:]metric op value, e.g. "p99<300ms" (of successes; all.p99: every completion, lag.p99: send lag), "surge: success>=90%"',
      collect(String),
    )
    .option('--no-thresholds', "drop the profile's thresholds (as k6's --no-thresholds): only --threshold rules are judged")
    .option('--mock <key=value>', 'override a mock setting (repeatable), e.g. fleet.workers=8, queue.timeout=1m', collect(keyValue('--mock')))
    .option('--fault <at:name[:k=v,...]>', 'inject a fault at a time (repeatable), e.g. 30s:shrink-fleet:workers=4', collect(String))
    .option('--speed <x>', 'time compression: incident time per wall time (60: a minute per second)', valueFlag('--speed', values.speed))
    .option('--seed <n>', 'seed for every random choice (same seed, same schedule)', valueFlag('--seed', values.seed))
    .option(
      '--segment <i/n>',
      'run segment i (0-based) of n of the profile: arrival k when k mod n = i, virtual user j when j mod n = i (merge the results)',
      valueFlag('--segment', parseSegment),
    )
    .option(
      '--workers <n|auto>',
      'split the run into n segments in worker threads of this process, merged at the end (auto: one per core)',
      valueFlag('--workers', workersValue),
    )
    .option(
      '--start-at <time>',
      'start at this moment (ISO 8601, e.g. 2026-12-01T12:00:00Z), for segments started apart',
      valueFlag('--start-at', startAtValue),
    )
    .option('--control <url>', 'the control API of the mock at --target (started on its own): faults and state go through it, and --speed may be its speed')
    .option(
      '--via-proxy',
      "send through the fault-injecting proxy, started in front of --target: it applies the faults (--fault, the profile's) to the real service",
    )
    .option(
      '--skip-faults',
      "run without the profile's faults, on purpose (the report and the result say they were skipped); without it, faults nobody can apply (a --target with neither --via-proxy nor --control) are refused",
    )
    .option(
      '--keep-bodies',
      "save request bodies in the result (a request mix's) as they are; by default each is saved as its sha256 digest and length, so a login body's password stays out",
    )
    .option('--token <token>', TOKEN_HELP)
    .option('--token-file <path>', TOKEN_FILE_HELP)
    .option(
      '--barrier <host:port>',
      'with --segment: start together with the other segments; segment 0 serves the barrier on this port, the others register at host:port, and all start at the moment it announces once every segment is in',
      valueFlag('--barrier', barrierAddress),
    )
    .option(
      '--barrier-host <address>',
      "where segment 0's barrier listens (default 127.0.0.1; 0.0.0.0 in a pod, so that the other pods reach it — with the token)",
    )
    .option('--barrier-token-file <path>', 'the token every segment sends to the barrier (a file the segments share: a Kubernetes Secret)')
    .option(
      '--barrier-timeout <dur>',
      'wall time to wait for every segment at the barrier (and for the --control mock to answer) before failing, naming the missing (default 2m)',
      durationFlag('--barrier-timeout', { positive: true }),
    )
    .option(
      '--shard-stdout',
      "write the segment's result to stdout as marked lines, for collection from logs (incident-load collect); the report goes to stderr",
    )
    .option(
      '--virtual',
      "simulate the run in virtual time: the bundled mock's model in this process, the same client, an exact clock — hours of incident time in seconds, the same result on any machine (docs/virtual-time.md)",
    )
    .option(
      '--rtt <dur>',
      `with --virtual: the client's network round trip, incident time (default ${formatDuration(DEFAULT_RTT_MS)})`,
      durationFlag('--rtt', { positive: true }),
    )
    .option('--json <file|->', `write the result as JSON (schema ${RESULT_SCHEMA}); "-" for stdout`)
    .option('--html <file>', 'write the report as one self-contained HTML file (charts, tables; opens offline)')
    .option('--junit <file>', 'write the thresholds as JUnit XML for CI: a test case each, a test suite per phase')
    .option('--summary-md <file>', 'write a markdown summary for a CI job page (e.g. $GITHUB_STEP_SUMMARY): verdict, phase table, thresholds')
    .option('-q, --quiet', 'print no report or progress (exit code and --json only)')
    .option('--no-color', 'no colour even on a terminal')
    .option('--no-progress', 'no live progress line')
    .action(async (ref: string | undefined, options: RampOptions) => {
      const code = await ramp(ref, options);
      process.exitCode = code;
    });
}

function overridesFrom(options: RampOptions): RunOverrides {
  const overrides: RunOverrides = {};
  if (options.target !== undefined) {
    try {
      checkTargetUrl(options.target);
    } catch (err) {
      throw new UsageError(`--target: ${err instanceof Error ? err.message : String(err)}`);
    }
    overrides.target = options.target;
  }
  if (options.phase) {
    overrides.phases = options.phase.map((spec) => {
      try {
        return parsePhaseSpec(spec);
      } catch (err) {
        throw new UsageError(`--phase ${spec}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    const names = overrides.phases.map((p) => p.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) throw new UsageError(`--phase: the name "${twice}" is used twice; thresholds address phases by name`);
  }
  if (options.fault) {
    overrides.faults = options.fault.map((spec) => {
      try {
        return parseFaultSpec(spec);
      } catch (err) {
        throw new UsageError(`--fault ${spec}: ${err instanceof UnitError || err instanceof Error ? err.message : String(err)}`);
      }
    });
  }
  if (options.connections !== undefined) overrides.connections = options.connections;
  if (options.maxInFlight !== undefined) overrides.maxInFlight = options.maxInFlight;
  if (options.timeout !== undefined) overrides.timeoutMs = options.timeout;
  if (options.retries !== undefined) overrides.retries = options.retries;
  if (options.backoff !== undefined) overrides.backoff = options.backoff;
  if (options.arrivals !== undefined) overrides.arrivals = options.arrivals;
  if (options.threshold !== undefined) overrides.thresholds = options.threshold;
  if (!options.thresholds) overrides.dropProfileThresholds = true;
  if (options.mock !== undefined) overrides.mock = options.mock;
  if (options.speed !== undefined) overrides.speed = options.speed;
  if (options.expectedStatuses !== undefined) overrides.expectedStatuses = options.expectedStatuses;
  if (options.redirects !== undefined) overrides.redirects = options.redirects;
  if (options.insecure) overrides.insecure = true;
  if (options.ca !== undefined) overrides.ca = { file: options.ca, pem: readCa(options.ca, '--ca', process.cwd()) };
  if (options.segment !== undefined) overrides.segment = options.segment;
  if (options.workers !== undefined) overrides.workers = options.workers;
  if (options.startAt !== undefined) overrides.startAt = options.startAt;
  if (options.control !== undefined) {
    const url = controlUrl(options.control);
    const found = findToken(options, url);
    overrides.control = { url: url.origin, token: found.token, tokenSource: found.source };
  }
  if (options.viaProxy) overrides.viaProxy = true;
  if (options.skipFaults) overrides.skipFaults = true;
  if (options.keepBodies) overrides.keepBodies = true;
  if (options.seed !== undefined) overrides.seed = options.seed;
  if (options.barrier !== undefined) {
    if (options.segment === undefined) throw new UsageError('--barrier starts the segments of one run together: it needs --segment i/n');
    if (options.startAt !== undefined) throw new UsageError('--barrier and --start-at both say when to start: give one');
  }
  for (const [flag, value] of [
    ['--barrier-host', options.barrierHost],
    ['--barrier-token-file', options.barrierTokenFile],
    ['--barrier-timeout', options.barrierTimeout],
  ] as const) {
    if (value !== undefined && options.barrier === undefined) throw new UsageError(`${flag} goes with --barrier <host:port>`);
  }
  if (options.shardStdout && options.segment === undefined) throw new UsageError("--shard-stdout writes a segment's result: it needs --segment i/n");
  if (options.shardStdout && options.json === '-') throw new UsageError('--shard-stdout and --json - both write to stdout: give --json a file, or drop one');
  if (options.method !== undefined || options.header !== undefined || options.body !== undefined) {
    overrides.request = {};
    if (options.method !== undefined) overrides.request.method = options.method;
    if (options.header !== undefined) overrides.request.headers = Object.fromEntries(options.header);
    if (options.body !== undefined) overrides.request.body = readBody(options.body);
  }
  return overrides;
}

/** Flags that mean nothing in virtual time (or only in it): refused, naming the flag, before anything runs. */
function checkVirtualFlags(options: RampOptions): void {
  if (!options.virtual) {
    if (options.rtt !== undefined) throw new UsageError('--rtt is the round trip of a virtual run: it goes with --virtual');
    return;
  }
  const refused: [string, unknown, string][] = [
    ['--target', options.target, "virtual time simulates the bundled mock's model; a real service keeps the wall's time"],
    ['--via-proxy', options.viaProxy, 'the proxy acts on sockets, and a virtual run has none'],
    ['--control', options.control, "a mock started on its own keeps the wall's time"],
    ['--segment', options.segment, 'a virtual run is one process, exact, and needs no splitting'],
    ['--workers', options.workers, 'a virtual run is one process, exact, and needs no splitting'],
    ['--start-at', options.startAt, 'a virtual run starts when it is asked to'],
    ['--barrier', options.barrier, 'a virtual run is one process: there is nothing to start together'],
    ['--shard-stdout', options.shardStdout, "a virtual run is no run's segment"],
    ['--speed', options.speed, 'virtual time has no speed: it runs as fast as the model computes'],
  ];
  for (const [flag, value, why] of refused) {
    if (value !== undefined && value !== false) throw new UsageError(`${flag} cannot go with --virtual: ${why}`);
  }
}

/** --barrier host:port: a DNS name, an IPv4 address or a [bracketed] IPv6 one, and a port. */
function barrierAddress(raw: unknown): string {
  const m = typeof raw === 'string' ? /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(raw) : null;
  if (!m || Number(m[2]) > 65_535) throw new UnitError('host:port, e.g. 127.0.0.1:7070 or my-run-0.my-run:7070', raw);
  return raw as string;
}

/** The barrier as this segment meets it; undefined without --barrier. */
function barrierPlan(options: RampOptions): BarrierPlan | undefined {
  if (options.barrier === undefined) return undefined;
  if (options.barrierTokenFile === undefined)
    throw new UsageError('--barrier needs --barrier-token-file: registrations are authenticated with the token it holds');
  let token: string;
  try {
    token = checkControlToken(readTokenFile(options.barrierTokenFile), '--barrier-token-file');
  } catch (err) {
    throw new UsageError(err instanceof TokenFileError ? `--barrier-token-file: ${err.message}` : (err as Error).message);
  }
  let listen;
  try {
    listen = listenAddress(options.barrierHost);
  } catch (err) {
    throw new UsageError(`--barrier-host: ${(err as Error).message}`);
  }
  const timeoutMs = options.barrierTimeout ?? BARRIER_TIMEOUT_DEFAULT_MS;
  return { address: options.barrier, listenHost: listen.host, remote: listen.remote, token, timeoutMs };
}

/** --workers n or auto (one per core). */
function workersValue(raw: unknown): number {
  if (raw === 'auto') return Math.min(LIMITS.workersMax, availableParallelism());
  return values.workers(raw);
}

/** --start-at: an ISO 8601 moment, at most a day ahead; one already past starts at once (the skew says by how much). */
function startAtValue(raw: unknown): number {
  const at = typeof raw === 'string' && /^\d{4}-\d\d-\d\dT/.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(at) || at > Date.now() + 86_400_000) throw new UnitError('a moment within a day, in ISO 8601 such as "2026-12-01T12:00:00Z"', raw);
  return at;
}

/**
 * The profile named, else: with --phase or --target a one-off run from a neutral base (the quickstart's
 * fault and settings would otherwise slip into it), and with neither the bundled quickstart.
 */
function baseProfile(ref: string | undefined, options: RampOptions): Profile {
  if (ref !== undefined) return loadProfile(ref);
  return options.phase !== undefined || options.target !== undefined ? oneOffProfile() : loadProfile('quickstart');
}

function headerFlag(value: string): [string, string] {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new UsageError(`--header: expected "name: value" (e.g. "authorization: Bearer x"), got ${JSON.stringify(value)}`);
  const name = value.slice(0, colon).trim();
  if (!HEADER_NAME.test(name.toLowerCase())) throw new UsageError(`--header: expected ${HEADER_NAME_EXPECTED} before ":", got ${JSON.stringify(name)}`);
  return [name.toLowerCase(), valueFlag('--header', (raw) => parseHeaderValue(raw, name))(value.slice(colon + 1))];
}

/** The body as given, or read from @file: a regular file of at most LIMITS.bodyBytesMax (never /dev/zero). */
function readBody(value: string): string {
  if (!value.startsWith('@')) {
    if (Buffer.byteLength(value) > LIMITS.bodyBytesMax) throw new UsageError(`--body: expected a body of at most ${LIMITS.bodyBytesMax} bytes`);
    return value;
  }
  const path = value.slice(1);
  let fd: number | undefined;
  try {
    // Checked before opening too: opening a named pipe for reading would wait for a writer.
    if (!statSync(path).isFile()) throw new UsageError(`--body ${value}: expected a regular file, and ${path} is not one`);
    fd = openSync(path, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`--body ${value}: expected a regular file, and ${path} is not one`);
    if (stat.size > LIMITS.bodyBytesMax) throw new UsageError(`--body ${value}: expected a file of at most ${LIMITS.bodyBytesMax} bytes, got ${stat.size}`);
    return readFileSync(fd, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--body ${value}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function ramp(ref: string | undefined, options: RampOptions): Promise<number> {
  try {
    return await rampRun(ref, options);
  } catch (err) {
    // A segment whose log is its only way out says on stdout, marked, why it has no result to give.
    if (options.shardStdout && options.segment) {
      const { index, count } = options.segment;
      const message = err instanceof UsageError || err instanceof BarrierError ? err.message : `unexpected error: ${(err as Error)?.message ?? String(err)}`;
      const { shardErrorLine } = await import('../result/shard-log.js');
      print(process.stdout, `${shardErrorLine(index, count, message)}\n`);
    }
    // Not bad input: the run could not start together (a segment missing, another run's): exit 3.
    if (err instanceof BarrierError) {
      print(process.stderr, `incident-load: ${err.message}\n`);
      return 3;
    }
    throw err;
  }
}

async function rampRun(ref: string | undefined, options: RampOptions): Promise<number> {
  checkVirtualFlags(options);
  const overrides = overridesFrom(options);
  checkJsonTarget(options.json);
  checkReportTargets(options);
  const barrier = barrierPlan(options);
  const plan = buildRunPlan(baseProfile(ref, options), overrides);
  if (options.virtual && plan.target !== 'mock')
    throw new UsageError(
      `--virtual simulates the bundled mock's model, and ${ref === undefined ? 'this run' : `profile ${ref}`} targets ${plan.target}: drop --virtual to send to it, or run a profile whose target is the mock`,
    );
  // The run and its reports load only now: a ramp refused for its flags or its profile never pays for them.
  const { runRamp } = await import('./ramp-run.js');
  return runRamp(plan, options, barrier);
}
