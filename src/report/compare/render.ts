// The comparison as text, top to bottom: which runs (A, B, ...: profile, source, speed, seed, wall time),
// the table of phases with the differences marked, each run's timeline one above the other on shared
// scales, and the runs' thresholds (shown, never enforced by compare). A string; only src/cli/ prints it.
import { formatDuration } from '../../core/units.js';
import type { RunResult } from '../../result/run-result.js';
import { createStyle, sectionTitle, truncate, wrapText, type RenderOptions, type Style } from '../text/style.js';
import { formatActual } from '../text/threshold-lines.js';
import { renderTimeline, sharedTimelineScale } from '../text/timeline-chart.js';
import type { ComparedRun, Comparison, RunSource } from './comparison.js';
import { SAME_POINTS, SAME_RATIO } from './difference.js';
import { CONFIDENCE } from './significance.js';
import { MISSING, renderComparisonTable } from './table.js';

/** `results` are the compared runs' results in the order of `comparison.runs` (undefined: not run). */
export function renderComparison(comparison: Comparison, results: readonly (RunResult | undefined)[], options: RenderOptions): string {
  const style = createStyle(options.color);
  const sections = [
    renderRunsHeader(comparison, options, style),
    renderTable(comparison, options, style),
    renderTimelines(comparison, results, options, style),
    renderThresholds(comparison, options, style),
  ];
  return sections.filter((s) => s !== '').join('\n\n');
}

export function sourceText(source: RunSource): string {
  return source.kind === 'ran' ? 'ran now' : source.path;
}

function renderRunsHeader(comparison: Comparison, options: RenderOptions, style: Style): string {
  const { runs } = comparison;
  const measured = runs.filter((r) => r.measured);
  const title = `incident-load compare · ${runs.length} runs · differences against ${comparison.baseline}`;
  const labelWidth = Math.max(...runs.map((r) => r.label.length));
  const nameWidth = Math.min(32, Math.max(...runs.map((r) => r.name.length)));
  const sourceWidth = Math.min(40, Math.max(...runs.map((r) => sourceText(r.source).length)));
  const lines = [style.strong(truncate(title, options.width))];
  const room = options.width - labelWidth - 2;
  for (const run of runs) {
    const paint = run.measured && !run.interrupted ? (t: string) => t : style.warn;
    const which = `${truncate(run.name, nameWidth).padEnd(nameWidth)}  ${truncateStart(sourceText(run.source), sourceWidth).padEnd(sourceWidth)}`;
    const facts = runFacts(run);
    const label = style.strong(run.label.padEnd(labelWidth));
    // On a narrow terminal the facts go on a line of their own rather than being cut.
    if ([...`${which}  ${facts}`].length <= room) lines.push(`${label}  ${paint(`${which}  ${facts}`)}`);
    else lines.push(`${label}  ${paint(truncate(which.trimEnd(), room))}`, ...wrapText(facts, room).map((l) => `${' '.repeat(labelWidth)}  ${paint(l)}`));
  }
  const seeds = [...new Set(measured.map((r) => r.seed))];
  if (seeds.length > 1) {
    lines.push(style.warn(truncate(`seeds differ (${seeds.join(', ')}): the runs were not offered the same arrivals`, options.width)));
  }
  return lines.join('\n');
}

/** A path cut at its start, where it is least telling: "…/results/after.json". */
function truncateStart(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 0 ? '' : `…${chars.slice(chars.length - width + 1).join('')}`;
}

function runFacts(run: ComparedRun): string {
  if (!run.measured) return 'not run: compare was interrupted before its turn';
  const facts = [
    run.clock === 'virtual'
      ? `${formatDuration(run.incidentMs ?? 0)} simulated in ${formatDuration(run.wallMs ?? 0)} (virtual time)`
      : `${formatDuration(run.incidentMs ?? 0)} in ${formatDuration(run.wallMs ?? 0)} wall`,
    run.clock === 'virtual' ? 'no speed' : `speed ${Number.isInteger(run.speed) ? run.speed : Math.round((run.speed ?? 0) * 100) / 100}×`,
    run.seeds ? `${run.runs} runs, seeds ${run.seeds.join(', ')} (figures: the group's)` : `seed ${run.seed}`,
  ];
  if (run.interrupted) facts.push(`interrupted at ${formatDuration(run.incidentMs ?? 0)} of ${formatDuration(run.plannedMs ?? 0)}`);
  return facts.join(' · ');
}

function renderTable(comparison: Comparison, options: RenderOptions, style: Style): string {
  const table = renderComparisonTable(comparison, options, style);
  // With one run measured (the others interrupted before their turn) there is nothing to mark.
  return comparison.runs.filter((r) => r.measured).length > 1 ? `${table}\n${legend(comparison, options, style)}` : table;
}

function legend(comparison: Comparison, options: RenderOptions, style: Style): string {
  const repeated = comparison.runs.some((r) => r.runs > 1);
  const text =
    `Against ${comparison.baseline}: ▲ higher, ▼ lower; better is higher success and goodput, lower p50, p99 and attempts per request` +
    `${style.color ? ' (green better, red worse)' : ''}; no arrow within ${SAME_POINTS}pp or ${Math.round((SAME_RATIO - 1) * 100)}%, ` +
    `nor where the difference is within the runs' noise (~), there is too little to judge (?) or one run a side cannot judge it (↻: a latency percentile; compare --repeat 3 can). ` +
    `${repeated ? `Each figure of a group of repeated runs is their mean (latencies and attempts: geometric), judged between runs at ${Math.round(CONFIDENCE * 100)}% (Welch's t)` : `At ${Math.round(CONFIDENCE * 100)}%: success and goodput as counts at the effective sample size each run's timeline windows show, attempts per request by a block bootstrap of the windows`} (docs/compare-significance.md). ` +
    `Success and top failure are shares of offered requests; goodput is successes per second of incident time; p50 and p99 are the successes' latencies; ${MISSING} the run has no such phase${comparison.rows.some((r) => r.class !== undefined) ? ' (in a class row: no such class)' : ''}.`;
  return wrapText(text, options.width)
    .map((l) => style.dim(l))
    .join('\n');
}

function renderTimelines(comparison: Comparison, results: readonly (RunResult | undefined)[], options: RenderOptions, style: Style): string {
  const shown = comparison.runs
    .map((run, i) => ({ run, result: results[i] }))
    .filter((s): s is { run: ComparedRun; result: RunResult } => s.result !== undefined);
  if (shown.length === 0) return '';
  const lengths = new Set(shown.map((s) => `${s.result.plannedMs}/${s.result.timeline[0]?.durationMs}`));
  const axis = lengths.size === 1 ? 'on the same time axis and scales' : 'on the same scales; the runs differ in length, so each has its own time axis';
  const scale = sharedTimelineScale(
    shown.map((s) => s.result),
    options.width,
  );
  const blocks = shown.map(({ run, result }) => {
    const room = options.width - run.label.length - 2;
    const title = `${style.strong(run.label)}  ${truncate(run.name, room)}${run.name.length + 3 < room ? ` · ${truncateStart(sourceText(run.source), room - run.name.length - 3)}` : ''}`;
    return `${title}\n${renderTimeline(result.timeline, result.phases, result.faults, options, style, scale)}`;
  });
  return [sectionTitle('timelines', `(one per run, ${axis})`, options.width, style), ...blocks].join('\n\n');
}

function renderThresholds(comparison: Comparison, options: RenderOptions, style: Style): string {
  const withThresholds = comparison.runs.filter((r) => (r.thresholds?.length ?? 0) > 0);
  if (withThresholds.length === 0) return '';
  const lines = [sectionTitle('thresholds', "(each run's own, shown and not enforced: compare exits 0 whatever they say)", options.width, style)];
  const labelWidth = Math.max(...withThresholds.map((r) => r.label.length));
  for (const run of withThresholds) {
    const thresholds = run.thresholds ?? [];
    const exprWidth = Math.max(...thresholds.map((t) => t.expr.length));
    thresholds.forEach((t, i) => {
      const label = i === 0 ? style.strong(run.label.padEnd(labelWidth)) : ' '.repeat(labelWidth);
      const mark = style.color ? (t.ok ? '✓' : '✗') : t.ok ? 'ok  ' : 'FAIL';
      const text = truncate(`${t.expr.padEnd(exprWidth)}  actual ${formatActual(t)}`, options.width - labelWidth - mark.length - 3);
      lines.push(`${label}  ${(t.ok ? style.good : style.bad)(mark)} ${text}`);
    });
  }
  return lines.join('\n');
}
