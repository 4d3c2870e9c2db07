// `incident-load merge <shard.json>...`: the results of a run's segments (ramp --segment i/n) as the run's
// one result: counts added, histograms added, percentiles read from the merged histograms, the timeline
// merged window by window, each segment's figures beside. Thresholds are evaluated once, on the merge —
// the profile's (as the segments carry them, unless --no-thresholds) and --threshold's — and decide the one exit code: 0 held, 1 one failed, 2 bad input (shards
// of different runs, a duplicate or a missing segment, a damaged file), 3 a segment's run broke or was cut
// short (what was merged is still written and shown).
import { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { renderRunReport } from '../report/text/run-report.js';
import { MergeError, mergeShards, type ShardInput } from '../result/merge.js';
import type { RunResult } from '../result/run-result.js';
import { readSavedResult } from '../result/saved-result.js';
import { evaluateThresholds } from '../threshold/evaluate.js';
import { checkThresholdPhases, parseThreshold } from '../threshold/parse.js';
import { collect } from './flags.js';
import { checkJsonTarget, checkReportTargets, jsonSavedMessage, writeJson, writeReports } from './output-file.js';
import { renderRunJunit } from '../report/junit/junit.js';
import { renderRunSummary } from '../report/markdown/summary.js';
import { renderRunHtml } from '../report/html/run-page.js';
import { print, terminalStyle } from './terminal.js';

export interface MergeOptions {
  threshold?: string[];
  /** False with --no-thresholds: the segments' (the profile's) thresholds are dropped. */
  thresholds: boolean;
  json?: string;
  html?: string;
  junit?: string;
  summaryMd?: string;
  quiet?: boolean;
  color: boolean;
}

/** The flags of a merged run's verdict and outputs, which merge and collect share. */
export function mergedRunOptions(command: Command): Command {
  return command
    .option('--threshold <expr>', 'judge this too (repeatable), besides the thresholds the segments ran with, e.g. "p99<300ms"', collect(String))
    .option('--no-thresholds', "drop the thresholds the segments ran with (the profile's): only --threshold rules are judged")
    .option('--json <file|->', 'write the merged result (a result like ramp writes, with "segments"); "-" for stdout')
    .option('--html <file>', 'write the merged report as one self-contained HTML file, with the per-segment breakdown')
    .option('--junit <file>', 'write the thresholds judged on the merge as JUnit XML for CI: a test case each, a test suite per phase')
    .option('--summary-md <file>', 'write a markdown summary for a CI job page (e.g. $GITHUB_STEP_SUMMARY): verdict, phase table, thresholds')
    .option('-q, --quiet', 'print no report (exit code and --json only)')
    .option('--no-color', 'no colour even on a terminal');
}

export function mergeCommand(): Command {
  return mergedRunOptions(
    new Command('merge')
      .description("merge the results of a run's segments (ramp --segment i/n --json) into the run's one result, thresholds judged on the merge")
      .argument('<shards...>', "every segment's result (.json written by ramp --segment i/n --json), each once"),
  )
    .addHelpText(
      'after',
      `
Exit codes: 0 every threshold held on the merged result, 1 one failed, 2 bad input (a damaged file, segments
of different runs, a segment given twice or missing), 3 a segment's run broke or was interrupted (the merge
of what was measured is still written and shown).

Examples:
  incident-load merge seg-0.json seg-1.json seg-2.json seg-3.json --json run.json
  incident-load merge seg-*.json --threshold "p99 < 800ms" --threshold "success >= 99%"`,
    )
    .action(async (shards: string[], options: MergeOptions) => {
      process.exitCode = await merge(shards, options);
    });
}

function merge(files: readonly string[], options: MergeOptions): Promise<number> {
  checkJsonTarget(options.json);
  checkReportTargets(options);
  return reportMerged(
    files.map((file) => ({ source: file, result: readSavedResult(file) })),
    options,
  );
}

/**
 * The segments' results as one: merged, thresholds judged on the merge, the report printed, --json and
 * the other reports (--html, --junit, --summary-md) written; the exit code (also for `collect`). Throws UsageError when they are not the n
 * segments of one run.
 */
export async function reportMerged(inputs: readonly ShardInput[], options: MergeOptions): Promise<number> {
  checkJsonTarget(options.json);
  checkReportTargets(options);
  let merged: RunResult;
  try {
    merged = mergeShards(inputs);
  } catch (err) {
    if (err instanceof MergeError) throw new UsageError(err.message);
    throw err;
  }
  // The thresholds the segments ran with (unless --no-thresholds), then --threshold's, each judged once.
  const ran = options.thresholds === false ? [] : inputs[0]!.result.thresholds.map((t) => t.expr);
  const sources = [
    ...ran.map((expr) => ({ expr, from: `${inputs[0]!.source}: ` })),
    ...(options.threshold ?? []).filter((expr) => !ran.includes(expr.trim())).map((expr) => ({ expr, from: '--threshold: ' })),
  ];
  const thresholds = sources.map(({ expr, from }) => {
    try {
      const threshold = parseThreshold(expr);
      checkThresholdPhases(
        [threshold],
        merged.phases.map((p) => p.name),
        (merged.total.mix ?? []).map((c) => c.name),
      );
      return threshold;
    } catch (err) {
      throw new UsageError(`${from}${(err as Error).message}`);
    }
  });
  merged.thresholds = evaluateThresholds(thresholds, merged);

  const reportStream = options.json === '-' ? process.stderr : process.stdout;
  const saved = options.json === undefined ? undefined : await writeJson(options.json, merged);
  const reportsLost = writeReports(options, {
    html: () => renderRunHtml(merged),
    junit: () => renderRunJunit(merged),
    summary: () => renderRunSummary(merged),
  });
  if (!options.quiet) print(reportStream, `${renderRunReport(merged, terminalStyle(reportStream, options.color))}\n`);
  const jsonLost = saved && jsonSavedMessage(saved);
  const lost = jsonLost || reportsLost[0];
  for (const message of [...(jsonLost ? [jsonLost] : []), ...reportsLost]) print(process.stderr, `incident-load: ${message}\n`);
  const broken = (merged.segments ?? []).filter((s) => s.failure || s.interrupted);
  if (broken.length > 0) {
    const which = broken.map((s) => `${s.index} (${s.failure ? s.failure.message : 'interrupted'})`).join(', ');
    print(process.stderr, `incident-load: segment${broken.length > 1 ? 's' : ''} ${which}: the merged result holds what was measured, not the whole run\n`);
  }
  if (broken.length > 0 || lost) return 3;
  return merged.thresholds.every((t) => t.ok) ? 0 : 1;
}
