// `incident-load compare <a> <b> [more...]`: saved results and profiles side by side. Every argument is
// read and every profile checked before anything runs (bad input: exit 2); the profiles then run one
// after the other, never at once, each against its own bundled mock, all with one seed. Exit 0 (the
// runs' thresholds are shown, not enforced), 1 when a --fail-on rule was broken (beyond its margin the
// worse way, and real), 3 when a run broke (its mock exited or stopped answering: the comparison goes
// on) or 130 when interrupted, after the comparison of what was measured is printed and --json,
// --junit and --summary-md written.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadProfile } from '../profile/load.js';
import type { Profile } from '../profile/profile.js';
import { formatDuration } from '../core/units.js';
import { totalDurationMs } from '../schedule/phase.js';
import { buildRunPlan, type RunPlan } from '../run/plan.js';
import type { RunHandle } from '../run/start-run.js';
import { COMPARE_SCHEMA, type RunResult } from '../result/run-result.js';
import { buildComparison, runLabel, type CompareInput } from '../report/compare/comparison.js';
import { compareDocument } from '../report/compare/document.js';
import { renderComparison } from '../report/compare/render.js';
import { looksLikeProfile, readJsonFile, RESULT_OR_PROFILE_FILE, toSavedResult } from '../result/saved-result.js';
import { describeFailure } from '../report/text/header.js';
import { toolVersion } from '../core/version.js';
import { checkJsonTarget, checkReportTargets, jsonSavedMessage, writeJson, writeReports } from './output-file.js';
import { checkFailOnPhases, FailOnError, judgeFailOn, parseFailOn, type FailOnRule } from '../report/compare/fail-on.js';
import { renderCompareJunit } from '../report/junit/junit.js';
import { renderCompareSummary } from '../report/markdown/summary.js';
import { renderCompareHtml } from '../report/html/compare-page.js';
import { onStopSignal } from './signals.js';
import { collect, valueFlag } from './flags.js';
import * as values from '../core/values.js';
import { terminalStyle, print } from './terminal.js';
import { runProgressPrinter } from './progress-printer.js';
import { UsageError } from '../core/errors.js';

interface CompareOptions {
  seed?: number;
  repeat?: number;
  speed?: number;
  virtual?: boolean;
  json?: string;
  html?: string;
  junit?: string;
  summaryMd?: string;
  failOn?: FailOnRule[];
  quiet?: boolean;
  color: boolean;
  progress: boolean;
}

/** A saved result, a directory of saved runs of one profile (a group), or a profile to run (K times with --repeat). */
type Entry = { kind: 'saved'; ref: string; results: RunResult[] } | { kind: 'profile'; ref: string; plans: RunPlan[] };

const HELP = `
Each argument is a saved result (a .json file written by "ramp --json"), a directory of saved results
(repeated runs of one profile, judged as a group), or a profile (a bundled name or a .yaml/.json path).
Profiles run one after the other, each against its own bundled mock, all with the same seed: the first
profile's, unless --seed; with --repeat K each profile runs K times, with seeds seed, seed+1, ...
The first argument (A) is the baseline: every later run's cells show its difference from A, ▲ higher or
▼ lower (green better, red worse on a terminal).

One run a side judges success and goodput (as counts); latency percentiles need repeated runs (↻),
because how far a rerun's p99 moves is not in one run: use --repeat 3 or more, or directories of runs.

The runs' thresholds are shown, not enforced: compare exits 0 whatever they say; with --fail-on it
exits 1 when a later run broke a rule (a difference beyond the rule's margin the worse way, and
judged real rather than within the runs' noise); 2 for bad input, 3 when a run's mock died or stopped
answering, 130 when interrupted, after printing the comparison of what was measured.

Examples:
  incident-load compare dalle-2023-03 dalle-2023-03-remediated
  incident-load ramp smoke --target $URL --json before.json   # ... later, after a change:
  incident-load compare before.json after.json --json comparison.json
  incident-load compare before.json after.json --fail-on "success -1pp" --fail-on "total: goodput -5%"
  incident-load compare smoke after.yaml --repeat 3 --fail-on "steady: p99 +10%"
  incident-load compare before/ after/ --fail-on "p99 +10%"      # directories of ramp --json results`;

export function compareCommand(): Command {
  return new Command('compare')
    .description('compare runs side by side: profiles (run one after the other, same seed) or saved --json results, differences against the first')
    .argument('<a>', 'the baseline: a saved result (.json from ramp --json) or a profile (bundled name or path)')
    .argument('<b>', 'compared with A: a saved result or a profile')
    .argument('[more...]', 'more saved results or profiles (C, D, ...)')
    .option('--seed <n>', "seed for every profile run (default: the first profile's seed)", valueFlag('--seed', values.seed))
    .option('--speed <x>', "time compression for every profile run (default: each profile's own)", valueFlag('--speed', values.speed))
    .option('--virtual', 'run every profile in virtual time (ramp --virtual): exact, in seconds, the same on any machine (docs/virtual-time.md)')
    .option(
      '--repeat <k>',
      'run each profile k times (seeds seed, seed+1, ...) and judge differences between runs: what latency percentiles need (default 1)',
      valueFlag('--repeat', values.repeat),
    )
    .option(
      '--json <file|->',
      `write the comparison (schema ${COMPARE_SCHEMA}, with every run's full result and each difference's significance); "-" for stdout`,
    )
    .option('--junit <file>', 'write the --fail-on rules as JUnit XML for CI: a test case per rule, phase and later run')
    .option('--summary-md <file>', 'write a markdown summary for a CI job page (e.g. $GITHUB_STEP_SUMMARY): verdict, comparison, rules')
    .option(
      '--fail-on <rule>',
      'exit 1 when a later run is worse than A beyond a margin and the difference is real (repeatable): [phase: | total:] metric +N% | -Npp, e.g. "p99 +10%", "total: success -1pp"',
      collect(failOnFlag),
    )
    .option('--html <file>', 'write the comparison as one self-contained HTML file: the runs overlaid on the same axes, the table')
    .option('-q, --quiet', 'print no comparison or progress (--json only)')
    .option('--no-color', 'no colour even on a terminal')
    .option('--no-progress', 'no live progress line')
    .addHelpText('after', HELP)
    .action(async (a: string, b: string, more: string[], options: CompareOptions) => {
      process.exitCode = await compare([a, b, ...more], options);
    });
}

function failOnFlag(value: string): FailOnRule {
  try {
    return parseFailOn(value);
  } catch (err) {
    if (err instanceof FailOnError) throw new UsageError(`--fail-on ${err.message}`);
    throw err;
  }
}

/** Every argument read and every profile planned, before anything runs: bad input fails here (exit 2). */
function prepare(refs: readonly string[], options: CompareOptions): Entry[] {
  const read = refs.map((ref): { ref: string; results: RunResult[] } | { ref: string; profile: Profile } => {
    if (existsSync(ref) && statSync(ref).isDirectory()) return { ref, results: readGroup(ref) };
    if (/\.json$/i.test(ref)) {
      const value = readJsonFile(ref, RESULT_OR_PROFILE_FILE);
      if (!looksLikeProfile(value)) return { ref, results: [toSavedResult(value, ref, true)] };
    }
    return { ref, profile: loadProfile(ref) };
  });
  const profiles = read.flatMap((r) => ('profile' in r ? [r.profile] : []));
  if (profiles.length === 0 && (options.seed !== undefined || options.speed !== undefined || options.repeat !== undefined)) {
    print(
      process.stderr,
      'incident-load: --seed, --speed and --repeat apply to profiles compare runs; every argument here is a saved result, so they change nothing\n',
    );
  }
  if (options.virtual && options.speed !== undefined) throw new UsageError('--speed cannot go with --virtual: virtual time has no speed');
  if (options.virtual && profiles.length === 0) throw new UsageError('--virtual runs profiles in virtual time, and every argument here is a saved result');
  const seed = options.seed ?? profiles[0]?.seed;
  const repeat = options.repeat ?? 1;
  return read.map((r): Entry => {
    if ('results' in r) return { kind: 'saved', ref: r.ref, results: r.results };
    const plans = Array.from({ length: repeat }, (_, k) => {
      // Seeds seed, seed+1, ...: each side's k-th run gets the same seed as the other side's.
      const runSeed = seed === undefined ? undefined : (seed + k) % (values.LIMITS.seedMax + 1);
      const overrides = { ...(runSeed !== undefined ? { seed: runSeed } : {}), ...(options.speed !== undefined ? { speed: options.speed } : {}) };
      const plan = buildRunPlan(r.profile, overrides);
      if (options.virtual && plan.target !== 'mock')
        throw new UsageError(`--virtual simulates the bundled mock's model, and profile ${r.ref} targets ${plan.target}: drop --virtual to send to it`);
      return plan;
    });
    return { kind: 'profile', ref: r.ref, plans };
  });
}

/** A directory of saved results: repeated runs of one profile, a group (its *.json files, by name). */
function readGroup(dir: string): RunResult[] {
  const files = readdirSync(dir)
    .filter((f) => /\.json$/i.test(f))
    .sort();
  if (files.length === 0) throw new UsageError(`${dir}: a directory with no saved results in it (expected *.json files written by ramp --json)`);
  if (files.length > values.LIMITS.repeatMax) {
    throw new UsageError(`${dir}: ${files.length} saved results; a group holds at most ${values.LIMITS.repeatMax} runs`);
  }
  const results = files.map((f) => {
    const path = join(dir, f);
    return toSavedResult(readJsonFile(path, RESULT_OR_PROFILE_FILE), path, true);
  });
  const names = [...new Set(results.map((r) => r.profile.name))];
  if (names.length > 1) {
    throw new UsageError(
      `${dir}: a directory is one group of repeated runs of one profile, and it holds runs of ${names.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  }
  return results;
}

/**
 * How a profile's run starts: in virtual time or over HTTP. Loaded when a run is to start, so that a
 * comparison of saved results, or one refused for its input, never loads the run engine.
 */
async function runStarter(virtual: boolean | undefined): Promise<(plan: RunPlan) => RunHandle> {
  return virtual ? (await import('../run/virtual-run.js')).startVirtualRun : (await import('../run/start-run.js')).startRun;
}

async function compare(refs: readonly string[], options: CompareOptions): Promise<number> {
  checkJsonTarget(options.json);
  checkReportTargets(options);
  const entries = prepare(refs, options);
  const rules = options.failOn ?? [];
  try {
    checkFailOnPhases(rules, [...new Set(entries.flatMap((e) => (e.kind === 'saved' ? e.results : e.plans).flatMap((r) => r.phases.map((p) => p.name))))]);
  } catch (err) {
    if (err instanceof FailOnError) throw new UsageError(`--fail-on ${err.message}`);
    throw err;
  }
  const startedAt = new Date().toISOString();
  const startWall = performance.now();

  // With --json -, stdout carries the JSON, so the comparison moves to stderr.
  const reportStream = options.json === '-' ? process.stderr : process.stdout;
  const style = terminalStyle(reportStream, options.color);
  const progressStyle = terminalStyle(process.stderr, options.color);
  const showProgress = !options.quiet && options.progress;
  const toRun = entries.reduce((acc, e) => acc + (e.kind === 'profile' ? e.plans.length : 0), 0);

  let current: RunHandle | undefined;
  let interrupted = false;
  const stopHandling = onStopSignal((signal, count) => {
    if (count > 1) process.exit(130);
    interrupted = true;
    print(process.stderr, `\nincident-load: interrupted (${signal}) — stopping the current run and comparing what was measured (again to quit at once)\n`);
    current?.interrupt();
  });

  const inputs: CompareInput[] = [];
  try {
    let ran = 0;
    for (const [i, entry] of entries.entries()) {
      if (entry.kind === 'saved') {
        const [result, ...repeats] = entry.results;
        inputs.push({
          name: result!.profile.name,
          source: { kind: 'file', path: entry.ref },
          result,
          ...(repeats.length > 0 ? { repeats } : {}),
        });
        continue;
      }
      const results: RunResult[] = [];
      for (const [k, plan] of entry.plans.entries()) {
        if (interrupted) break;
        ran++;
        const label = runLabel(i);
        const incidentMs = totalDurationMs(plan.phases);
        const which = entry.plans.length > 1 ? `${label}${k + 1}` : label;
        if (showProgress) {
          print(
            process.stderr,
            `incident-load: ${which} (run ${ran} of ${toRun}) ${plan.name}: ${formatDuration(incidentMs)} ${options.virtual ? 'in virtual time' : `at speed ${plan.speed}× (${formatDuration(incidentMs / plan.speed)} wall)`}, seed ${plan.seed}\n`,
          );
        }
        const handle = (await runStarter(options.virtual))(plan);
        current = handle;
        const prefix = `${which} ${ran}/${toRun}  `;
        const printer = showProgress
          ? runProgressPrinter(handle, progressStyle, Math.max(2_000, Math.min(10_000, incidentMs / plan.speed / 10)), prefix)
          : undefined;
        try {
          results.push(await handle.result);
        } finally {
          printer?.stop();
          current = undefined;
        }
      }
      const [result, ...repeats] = results;
      inputs.push({ name: entry.plans[0]!.name, source: { kind: 'ran' }, result, ...(repeats.length > 0 ? { repeats } : {}) });
    }
  } catch (err) {
    stopHandling();
    throw err;
  }

  const results = inputs.map((input) => input.result);
  const comparison = buildComparison(inputs);
  // The JSON first: nothing that goes wrong while rendering can lose the measurements.
  const saved =
    options.json === undefined
      ? undefined
      : await writeJson(
          options.json,
          compareDocument(
            comparison,
            results,
            toolVersion(),
            inputs.map((input) => input.repeats),
          ),
        );
  const checks = judgeFailOn(comparison, rules);
  const name = comparison.runs.map((r) => r.name).join(' vs ');
  const reportsLost = writeReports(options, {
    html: () => renderCompareHtml(comparison, results, toolVersion()),
    junit: () => renderCompareJunit(name, checks, startedAt, performance.now() - startWall),
    summary: () => renderCompareSummary(comparison, checks),
  });
  if (!options.quiet) print(reportStream, `${renderComparison(comparison, results, style)}\n`);
  stopHandling();
  const jsonLost = saved && jsonSavedMessage(saved);
  const lost = jsonLost || reportsLost[0];
  for (const message of [...(jsonLost ? [jsonLost] : []), ...reportsLost]) print(process.stderr, `incident-load: ${message}\n`);
  if (interrupted) return 130;
  const broken = inputs.flatMap((input) =>
    input.source.kind === 'ran' ? [input.result, ...(input.repeats ?? [])].filter((r): r is RunResult => Boolean(r?.failure)) : [],
  );
  for (const result of broken) print(process.stderr, `incident-load: ${result.profile.name}: ${describeFailure(result)} — partial results\n`);
  if (broken.length > 0 || lost) return 3;
  const failed = checks.filter((c) => c.broken);
  for (const c of failed) print(process.stderr, `incident-load: --fail-on ${c.rule}: ${c.message}\n`);
  // Beyond the margin but not judged: said, so that a gate that cannot see is not taken for one that passed.
  for (const c of checks.filter((x) => x.unjudged)) print(process.stderr, `incident-load: --fail-on ${c.rule}: not judged: ${c.message}\n`);
  return failed.length > 0 ? 1 : 0;
}
