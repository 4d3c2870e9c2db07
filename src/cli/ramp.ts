// `incident-load ramp [profile]`: run a profile (the bundled quickstart by default) against the bundled
// mock or --target, print the report, write --json, and exit 0 (thresholds held), 1 (one failed),
// 2 (bad input) or 130 (interrupted, after the partial report and JSON are out).
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parsePhaseSpec } from '../profile/phase-spec.js';
import { loadProfile } from '../profile/load.js';
import { checkTargetUrl } from '../profile/schema.js';
import { parseFaultSpec } from '../profile/fault-check.js';
import { UnitError } from '../profile/units.js';
import { HEADER_NAME, HEADER_NAME_EXPECTED } from '../profile/http-header.js';
import { buildRunPlan, type RunOverrides } from '../run/plan.js';
import { startRun } from '../run/start-run.js';
import { renderRunReport } from '../report/text/run-report.js';
import { renderProgress } from '../report/text/progress-line.js';
import type { RunResult } from '../report/result.js';
import { checkJsonTarget, writeJson } from './json-output.js';
import { choiceFlag, collect, durationFlag, keyValue, positiveNumberFlag, wholeNumberFlag } from './flags.js';
import { ProgressPrinter, terminalStyle } from './terminal.js';
import { UsageError } from './usage-error.js';

interface RampOptions {
  target?: string;
  phase?: string[];
  connections?: number;
  maxInFlight?: number;
  timeout?: number;
  retries?: number;
  backoff?: 'none' | 'exponential' | 'full-jitter';
  arrivals?: 'uniform' | 'poisson';
  threshold?: string[];
  mock?: [string, string][];
  fault?: string[];
  speed?: number;
  seed?: number;
  method?: string;
  header?: [string, string][];
  body?: string;
  json?: string;
  quiet?: boolean;
  color: boolean;
  progress: boolean;
}

export function rampCommand(): Command {
  return new Command('ramp')
    .description('run a profile: a traffic ramp against the bundled mock (default) or --target, with a per-phase report')
    .argument('[profile]', 'bundled profile name or path to a .yaml/.json profile', 'quickstart')
    .option('-t, --target <url>', 'send to this http(s) URL instead of starting the bundled mock')
    .option('-p, --phase <spec>', 'replace the phases (repeatable): name:duration:rate | name:duration:from..to | name:duration:vus=N', collect(String))
    .option('-c, --connections <n>', 'connection pool size', wholeNumberFlag('--connections', 1))
    .option('--max-in-flight <n>', 'arrivals over this many outstanding requests are dropped (counted), never sent late', wholeNumberFlag('--max-in-flight', 1))
    .option('--timeout <dur>', 'client timeout per attempt, incident time (e.g. 5s, 1m)', durationFlag('--timeout', { positive: true }))
    .option('--retries <n>', 'retries per request after the first attempt', wholeNumberFlag('--retries', 0, 100))
    .addOption(new Option('--backoff <kind>', 'backoff between retries: none, exponential, full-jitter').argParser(choiceFlag('--backoff', ['none', 'exponential', 'full-jitter'] as const)))
    .addOption(new Option('--arrivals <kind>', 'spacing of open-model arrivals: uniform (even) or poisson (seeded)').argParser(choiceFlag('--arrivals', ['uniform', 'poisson'] as const)))
    .option('-m, --method <method>', 'HTTP method (default GET, or the profile\'s request.method)', choiceFlag('--method', ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const))
    .option('-H, --header <header>', 'request header (repeatable), "name: value"', collect(headerFlag))
    .option('--body <text|@file>', 'request body, or @path to read it from a file')
    .option('--threshold <expr>', 'pass/fail rule (repeatable), [phase][@class:]metric op value, e.g. "p99<300ms" (of successes; all.p99: every completion, lag.p99: send lag), "surge: success>=0.9"', collect(String))
    .option('--mock <key=value>', 'override a mock setting (repeatable), e.g. fleet.workers=8, queue.timeout=1m', collect(keyValue('--mock')))
    .option('--fault <at:name[:k=v,...]>', 'inject a fault at a time (repeatable), e.g. 30s:shrink-fleet:workers=4', collect(String))
    .option('--speed <x>', 'time compression: incident time per wall time (60: a minute per second)', positiveNumberFlag('--speed'))
    .option('--seed <n>', 'seed for every random choice (same seed, same schedule)', wholeNumberFlag('--seed', 0))
    .option('--json <file|->', 'write the result as JSON (schema incident-load/result@1); "-" for stdout')
    .option('-q, --quiet', 'print no report or progress (exit code and --json only)')
    .option('--no-color', 'no colour even on a terminal')
    .option('--no-progress', 'no live progress line')
    .action(async (ref: string, options: RampOptions) => {
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
  if (options.mock !== undefined) overrides.mock = options.mock;
  if (options.speed !== undefined) overrides.speed = options.speed;
  if (options.seed !== undefined) overrides.seed = options.seed;
  if (options.method !== undefined || options.header !== undefined || options.body !== undefined) {
    overrides.request = {};
    if (options.method !== undefined) overrides.request.method = options.method;
    if (options.header !== undefined) overrides.request.headers = Object.fromEntries(options.header);
    if (options.body !== undefined) overrides.request.body = readBody(options.body);
  }
  return overrides;
}

function headerFlag(value: string): [string, string] {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new UsageError(`--header: expected "name: value" (e.g. "authorization: Bearer x"), got ${JSON.stringify(value)}`);
  const name = value.slice(0, colon).trim();
  if (!HEADER_NAME.test(name.toLowerCase())) throw new UsageError(`--header: expected ${HEADER_NAME_EXPECTED} before ":", got ${JSON.stringify(name)}`);
  return [name.toLowerCase(), value.slice(colon + 1).trim()];
}

function readBody(value: string): string {
  if (!value.startsWith('@')) return value;
  try {
    return readFileSync(value.slice(1), 'utf8');
  } catch (err) {
    throw new UsageError(`--body ${value}: cannot read ${value.slice(1)} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

async function ramp(ref: string, options: RampOptions): Promise<number> {
  const overrides = overridesFrom(options);
  checkJsonTarget(options.json);
  const plan = buildRunPlan(loadProfile(ref), overrides);

  // With --json -, stdout carries the JSON, so the human report moves to stderr.
  const reportStream = options.json === '-' ? process.stderr : process.stdout;
  const style = terminalStyle(reportStream, options.color);
  const progressStyle = terminalStyle(process.stderr, options.color);
  const handle = startRun(plan);

  let signals = 0;
  const onSignal = (): void => {
    signals++;
    if (signals === 1) {
      process.stderr.write('\nincident-load: interrupted — finishing in-flight requests and writing what was measured (again to quit at once)\n');
      handle.interrupt();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const totalWallMs = plan.phases.reduce((sum, p) => sum + p.durationMs, 0) / plan.speed;
  const printer =
    options.quiet || !options.progress
      ? undefined
      : new ProgressPrinter(
          process.stderr,
          () => {
            const progress = handle.progress();
            return progress && renderProgress(progress, progressStyle);
          },
          Math.max(2_000, Math.min(10_000, totalWallMs / 10)),
        );

  let result: RunResult;
  try {
    result = await handle.result;
  } finally {
    printer?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  if (!options.quiet) reportStream.write(`${renderRunReport(result, style)}\n`);
  if (options.json !== undefined) writeJson(options.json, result);
  if (result.interrupted) return 130;
  return result.thresholds.every((t) => t.ok) ? 0 : 1;
}
