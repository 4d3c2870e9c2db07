// `incident-load report <result.json>...`: saved results rendered again, so a result JSON is all one
// keeps. One result: the run report, exactly as ramp (or merge) printed it. A comparison written by
// compare --json: the comparison. Several results: their comparison, as compare shows saved results.
// --html writes the same as one self-contained HTML file, --summary-md a markdown summary, and for a
// run --junit its thresholds as JUnit XML. Exit 0, or 2 for bad input (a damaged file, a result of an
// older schema: named, before anything is written); 3 when a report could not be written where asked. Thresholds are shown as they were judged, never enforced again.
import { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { toolVersion } from '../core/version.js';
import { buildComparison, type CompareInput } from '../report/compare/comparison.js';
import { renderComparison } from '../report/compare/render.js';
import { isCompareDocument, toSavedComparison } from '../report/compare/saved-document.js';
import { renderCompareHtml } from '../report/html/compare-page.js';
import { renderRunHtml } from '../report/html/run-page.js';
import { renderRunReport } from '../report/text/run-report.js';
import { readJsonFile, toSavedResult } from '../result/saved-result.js';
import { renderRunJunit } from '../report/junit/junit.js';
import { renderCompareSummary, renderRunSummary } from '../report/markdown/summary.js';
import { checkReportTargets, writeReports, type ReportRenderers } from './output-file.js';
import { print, terminalStyle } from './terminal.js';

interface ReportOptions {
  html?: string;
  junit?: string;
  summaryMd?: string;
  quiet?: boolean;
  color: boolean;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('render saved results again: a result (the run report), a compare --json document, or several results (their comparison)')
    .argument('<files...>', 'a result (.json from ramp, merge or --workers --json), a comparison (.json from compare --json), or several results')
    .option('--html <file>', 'also write it as one self-contained HTML file (charts, tables; opens offline)')
    .option('--junit <file>', "also write a run's thresholds as JUnit XML for CI (a test case each, a test suite per phase)")
    .option('--summary-md <file>', 'also write a markdown summary for a CI job page (verdict, tables)')
    .option('-q, --quiet', 'print nothing (the files only)')
    .option('--no-color', 'no colour even on a terminal')
    .addHelpText(
      'after',
      `
Exit codes: 0 rendered (thresholds are shown as the run judged them, not enforced again), 2 bad input (a
file that is missing, damaged, or a result of an older schema: named), 3 a file (--html, --junit,
--summary-md) could not be written where asked (it is kept in a temporary directory; stderr says where).

Examples:
  incident-load ramp smoke --json run.json --quiet && incident-load report run.json --html run.html
  incident-load compare before.json after.json --json comparison.json && incident-load report comparison.json --html comparison.html
  incident-load report monday.json tuesday.json wednesday.json --html week.html`,
    )
    .action((files: string[], options: ReportOptions) => {
      process.exitCode = report(files, options);
    });
}

function report(files: readonly string[], options: ReportOptions): number {
  checkReportTargets(options);
  const values = files.map((file) => ({ file, value: readJson(file) }));
  const style = terminalStyle(process.stdout, options.color);
  let text: string;
  let render: ReportRenderers;

  if (values.length === 1 && isCompareDocument(values[0]!.value)) {
    const saved = toSavedComparison(values[0]!.value, values[0]!.file);
    const comparison = buildComparison(saved.inputs);
    const results = saved.inputs.map((input) => input.result);
    text = renderComparison(comparison, results, style);
    render = { html: () => renderCompareHtml(comparison, results, toolVersion(), saved.verdicts), summary: () => renderCompareSummary(comparison, []) };
  } else if (values.length === 1) {
    const result = toSavedResult(values[0]!.value, values[0]!.file);
    text = renderRunReport(result, style);
    render = { html: () => renderRunHtml(result), junit: () => renderRunJunit(result), summary: () => renderRunSummary(result) };
  } else {
    const inputs = values.map(({ file, value }): CompareInput => {
      if (isCompareDocument(value))
        throw new UsageError(`${file}: a comparison (compare --json) is reported alone; give the results it compares, or this file by itself`);
      const result = toSavedResult(value, file);
      return { name: result.profile.name, source: { kind: 'file', path: file }, result };
    });
    const comparison = buildComparison(inputs);
    const results = inputs.map((input) => input.result);
    text = renderComparison(comparison, results, style);
    render = { html: () => renderCompareHtml(comparison, results, toolVersion()), summary: () => renderCompareSummary(comparison, []) };
  }
  if (options.junit !== undefined && render.junit === undefined)
    throw new UsageError("--junit: writes one run's thresholds; a comparison has none to judge here (compare --fail-on <rule> --junit judges one)");

  const lost = writeReports(options, render);
  if (!options.quiet) print(process.stdout, `${text}\n`);
  for (const message of lost) print(process.stderr, `incident-load: ${message}\n`);
  return lost.length > 0 ? 3 : 0;
}

function readJson(file: string): unknown {
  return readJsonFile(file, {
    expected: 'expected a saved result or comparison (JSON)',
    missing: 'expected a saved result from ramp --json, or a comparison from compare --json',
  });
}
