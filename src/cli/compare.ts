// `incident-load compare <a> <b> [more...]`: saved results and profiles side by side. Every argument is
// read and every profile checked before anything runs (bad input: exit 2); the profiles then run one
// after the other, never at once, each against its own bundled mock, all with one seed. Exit 0 (the
// runs' thresholds are shown, not enforced), 1 when a --fail-on rule was broken (beyond its margin the
// worse way, and real), 3 when a run broke (its mock exited or stopped answering: the comparison goes
// on) or 130 when interrupted, after the comparison of what was measured is printed and --json,
// --junit and --summary-md written.
import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { loadProfile } from '../profile/load.js';
import type { Profile } from '../profile/profile.js';
import { formatDuration } from '../core/units.js';
import { totalDurationMs } from '../schedule/phase.js';
import { buildRunPlan, type RunPlan } from '../run/plan.js';
import { startRun, type RunHandle } from '../run/start-run.js';
import { COMPARE_SCHEMA, type RunResult } from '../result/run-result.js';
import { buildComparison, runLabel, type CompareInput } from '../report/compare/comparison.js';
import { compareDocument } from '../report/compare/document.js';
import { renderComparison } from '../report/compare/render.js';
import { looksLikeProfile, parseJsonArgument, toSavedResult } from '../result/saved-result.js';
import { renderProgress } from '../report/text/progress-line.js';
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
import { ProgressPrinter, terminalStyle, print } from './terminal.js';
import { UsageError } from '../core/errors.js';

interface CompareOptions {
  seed?: number;
  speed?: number;
  json?: string;
  html?: string;
  junit?: string;
  summaryMd?: string;
  failOn?: FailOnRule[];
  quiet?: boolean;
  color: boolean;
  progress: boolean;
}

type Entry = { kind: 'saved'; ref: string; result: RunResult } | { kind: 'profile'; ref: string; plan: RunPlan };

const HELP = `
Each argument is a saved result (a .json file written by "ramp --json") or a profile (a bundled name or
a .yaml/.json path). Profiles run one after the other, each against its own bundled mock, all with the
same seed: the first profile's, unless --seed. The first argument (A) is the baseline: every later run's
cells show its difference from A, ▲ higher or ▼ lower (green better, red worse on a terminal).

The runs' thresholds are shown, not enforced: compare exits 0 whatever they say; with --fail-on it
exits 1 when a later run broke a rule (a difference beyond the rule's margin the worse way, and
judged real rather than within the runs' noise); 2 for bad input, 3 when a run's mock died or stopped
answering, 130 when interrupted, after printing the comparison of what was measured.

Examples:
  incident-load compare dalle-2023-03 dalle-2023-03-remediated
  incident-load ramp smoke --target $URL --json before.json   # ... later, after a change:
  incident-load compare before.json after.json --json comparison.json
  incident-load compare before.json after.json --fail-on "p99 +10%" --fail-on "success -1pp"`;

export function compareCommand(): Command {
  return new Command('compare')
    .description('compare runs side by side: profiles (run one after the other, same seed) or saved --json results, differences against the first')
    .argument('<a>', 'the baseline: a saved result (.json from ramp --json) or a profile (bundled name or path)')
    .argument('<b>', 'compared with A: a saved result or a profile')
    .argument('[more...]', 'more saved results or profiles (C, D, ...)')
    .option('--seed <n>', "seed for every profile run (default: the first profile's seed)", valueFlag('--seed', values.seed))
    .option('--speed <x>', "time compression for every profile run (default: each profile's own)", valueFlag('--speed', values.speed))
    .option(
      '--json <file|->',
      `write the comparison (schema ${COMPARE_SCHEMA}, with every run's full result and each difference's significance); "-" for stdout`,
    )
    .option('--junit <file>', 'write the --fail-on rules as JUnit XML for CI: a test case per rule, phase and later run')
    .option('--summary-md <file>', 'write a markdown summary for a CI job page (e.g. $GITHUB_STEP_SUMMARY): verdict, comparison, rules')
    .option(
      '--fail-on <rule>',
      'exit 1 when a later run is worse than A beyond a margin and the difference is real (repeatable): [phase:] metric +N% | -Npp, e.g. "p99 +10%", "success -1pp"',
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
  const read = refs.map((ref): { ref: string; result: RunResult } | { ref: string; profile: Profile } => {
    if (/\.json$/i.test(ref)) {
      if (!existsSync(ref)) throw new UsageError(`${ref}: no such file (expected a saved result from ramp --json, or a profile)`);
      const value = parseJsonArgument(readFileSync(ref, 'utf8'), ref, true);
      if (!looksLikeProfile(value)) return { ref, result: toSavedResult(value, ref, true) };
    }
    return { ref, profile: loadProfile(ref) };
  });
  const profiles = read.flatMap((r) => ('profile' in r ? [r.profile] : []));
  if (profiles.length === 0 && (options.seed !== undefined || options.speed !== undefined)) {
    print(process.stderr, 'incident-load: --seed and --speed apply to profiles compare runs; every argument here is a saved result, so they change nothing\n');
  }
  const seed = options.seed ?? profiles[0]?.seed;
  return read.map((r): Entry => {
    if ('result' in r) return { kind: 'saved', ref: r.ref, result: r.result };
    const overrides = { ...(seed !== undefined ? { seed } : {}), ...(options.speed !== undefined ? { speed: options.speed } : {}) };
    return { kind: 'profile', ref: r.ref, plan: buildRunPlan(r.profile, overrides) };
  });
}

async function compare(refs: readonly string[], options: CompareOptions): Promise<number> {
  checkJsonTarget(options.json);
  checkReportTargets(options);
  const entries = prepare(refs, options);
  const rules = options.failOn ?? [];
  try {
    checkFailOnPhases(rules, [
      ...new Set(entries.flatMap((e) => (e.kind === 'saved' ? e.result.phases.map((p) => p.name) : e.plan.phases.map((p) => p.name)))),
    ]);
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
  const toRun = entries.filter((e) => e.kind === 'profile').length;

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
        inputs.push({ name: entry.result.profile.name, source: { kind: 'file', path: entry.ref }, result: entry.result });
        continue;
      }
      if (interrupted) {
        inputs.push({ name: entry.plan.name, source: { kind: 'ran' }, result: undefined });
        continue;
      }
      ran++;
      const label = runLabel(i);
      const { plan } = entry;
      const incidentMs = totalDurationMs(plan.phases);
      if (showProgress) {
        print(
          process.stderr,
          `incident-load: ${label} (run ${ran} of ${toRun}) ${plan.name}: ${formatDuration(incidentMs)} at speed ${plan.speed}× (${formatDuration(incidentMs / plan.speed)} wall), seed ${plan.seed}\n`,
        );
      }
      const handle = startRun(plan);
      current = handle;
      const prefix = `${label} ${ran}/${toRun}  `;
      const printer = showProgress
        ? new ProgressPrinter(
            process.stderr,
            () => {
              const progress = handle.progress();
              return progress && prefix + renderProgress(progress, { ...progressStyle, width: progressStyle.width - prefix.length });
            },
            Math.max(2_000, Math.min(10_000, incidentMs / plan.speed / 10)),
          )
        : undefined;
      try {
        inputs.push({ name: plan.name, source: { kind: 'ran' }, result: await handle.result });
      } finally {
        printer?.stop();
        current = undefined;
      }
    }
  } catch (err) {
    stopHandling();
    throw err;
  }

  const results = inputs.map((input) => input.result);
  const comparison = buildComparison(inputs);
  // The JSON first: nothing that goes wrong while rendering can lose the measurements.
  const saved = options.json === undefined ? undefined : writeJson(options.json, compareDocument(comparison, results, toolVersion()));
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
  const broken = inputs.filter((input) => input.source.kind === 'ran' && input.result?.failure);
  for (const input of broken) print(process.stderr, `incident-load: ${input.name}: ${describeFailure(input.result!)} — partial results\n`);
  if (broken.length > 0 || lost) return 3;
  const failed = checks.filter((c) => c.broken);
  for (const c of failed) print(process.stderr, `incident-load: --fail-on ${c.rule}: ${c.message}\n`);
  return failed.length > 0 ? 1 : 0;
}
