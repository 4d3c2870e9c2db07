// A markdown summary for a CI job page (GitHub's $GITHUB_STEP_SUMMARY, GitLab and Gitea job pages):
// `--summary-md` on ramp, merge and compare. A one-line verdict first, then the phase table and the
// thresholds (or, for compare, the comparison and the --fail-on rules) as plain GitHub-flavoured
// markdown tables — no HTML, no colour — so they render on any CI page. Every piece of text that came
// from a profile or a result (names, thresholds, messages) is escaped: markdown and HTML in it show as
// the characters they are, never as an image, a link or a tag on the page (text()); the only markup is
// the summary's own bold (bold()).
import { formatDuration } from '../../core/units.js';
import type { PhaseResult, RunResult } from '../../result/run-result.js';
import type { Comparison } from '../compare/comparison.js';
import { formatDifference, type Difference, type Metric } from '../compare/difference.js';
import type { FailOnCheck } from '../compare/fail-on.js';
import { figureText } from '../compare/figure-text.js';
import { formatPercent, NONE } from '../text/figures.js';
import { describeFailure } from '../text/header.js';
import { formatActual } from '../text/threshold-lines.js';
import { proxyAddedByPhase } from '../text/proxy-added.js';
import { faultAt, faultStatus, faultsSummary, faultText } from '../fault-lines.js';

/** A run's summary: verdict, phases, thresholds, faults (by whom, or why not), what the proxy added. */
export function renderRunSummary(result: RunResult): string {
  const failed = result.thresholds.filter((t) => !t.ok).length;
  const broken = describeFailure(result);
  const verdict = broken
    ? `**BROKEN** — ${text(broken)}; what was measured is below`
    : result.interrupted
      ? '**INTERRUPTED** — what was measured before the run was stopped is below'
      : result.thresholds.length === 0
        ? '**DONE** — no thresholds to judge'
        : failed === 0
          ? `**PASS** — ${result.thresholds.length === 1 ? 'the threshold' : `all ${result.thresholds.length} thresholds`} held`
          : `**FAIL** — ${failed} of ${result.thresholds.length} threshold${result.thresholds.length === 1 ? '' : 's'} failed`;
  const sections = [
    `### incident-load · ${cell(result.profile.name)}`,
    `${verdict} (${formatDuration(result.total.durationMs)} of incident time, ${result.profile.clock === 'virtual' ? 'virtual time' : `speed ${result.profile.speed}×`}, seed ${result.profile.seed})`,
    table(
      ['phase', 'offered', 'ok', 'failed', 'dropped', 'success', 'p50', 'p99', 'send lag p99'],
      [...result.phases, result.total].map((p) => phaseRow(p)),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  ];
  if (result.thresholds.length > 0) {
    sections.push(
      table(
        ['threshold', 'measured', 'result'],
        result.thresholds.map((t) => [t.expr, formatActual(t), t.ok ? 'pass' : bold('fail')]),
        ['left', 'right', 'left'],
      ),
    );
  }
  const faults = faultsSummary(result);
  if (faults) {
    sections.push(
      `Faults: ${faults.skipped || faults.notApplied > 0 ? `**${text(faults.text)}**` : text(faults.text)}`,
      table(
        ['at', 'fault', 'applied'],
        result.faults.map((f) => [faultAt(f), faultText(f), faultStatus(f, faults.applier)]),
        ['right', 'left', 'left'],
      ),
    );
  }
  const proxy = result.timeline.some((w) => w.proxy) ? proxyAddedByPhase(result.timeline, result.phases) : [];
  if (proxy.length > 0) {
    const mean = (ms: number, n: number): string => (n === 0 ? NONE : ms === 0 ? '0' : formatDuration(ms / n));
    sections.push(
      'Proxy: latency its faults added on purpose, mean per request reaching it',
      table(
        ['phase', 'requests', 'delayed', 'added per request', 'added per delayed'],
        proxy.map((r) => [r.phase, String(r.requests), String(r.delayed), mean(r.addedMs, r.requests), mean(r.addedMs, r.delayed)]),
        ['left', 'right', 'right', 'right', 'right'],
      ),
    );
  }
  return `${sections.join('\n\n')}\n`;
}

function phaseRow(p: PhaseResult): string[] {
  const ms = (v: number | null | undefined): string => (v === null || v === undefined ? NONE : formatDuration(v));
  return [
    p.name,
    String(p.offered),
    String(p.ok),
    String(p.failed),
    String(p.dropped),
    p.offered > 0 ? formatPercent(p.successRatio) : NONE,
    ms(p.okLatencyMs?.p50),
    ms(p.okLatencyMs?.p99),
    ms(p.sendLagMs?.p99),
  ];
}

const METRICS: { metric: Metric; head: string }[] = [
  { metric: 'success', head: 'success' },
  { metric: 'goodput', head: 'goodput' },
  { metric: 'p50', head: 'p50' },
  { metric: 'p99', head: 'p99' },
  { metric: 'amplification', head: 'attempts/request' },
];

/** compare's summary: verdict, the comparison table with each difference's verdict, the --fail-on rules. */
export function renderCompareSummary(comparison: Comparison, checks: readonly FailOnCheck[]): string {
  const broken = checks.filter((c) => c.broken);
  const names = comparison.runs.map((r) => `${r.label} ${r.name}`).join(', ');
  const verdict =
    checks.length === 0
      ? `**DONE** — ${comparison.runs.length} runs compared against ${text(comparison.baseline)}; no --fail-on rules to judge`
      : broken.length === 0
        ? `**PASS** — no --fail-on rule broken (${checks.length} checked)`
        : `**FAIL** — ${broken.length} of ${checks.length} --fail-on checks broken: ${broken.map((c) => `${text(c.rule)} in ${text(c.phase)} (${text(c.run)})`).join('; ')}`;
  const rows: string[][] = [];
  for (const row of comparison.rows.filter((r) => r.class === undefined)) {
    for (const c of row.cells) {
      const run = comparison.runs.find((r) => r.label === c.run);
      if (!run?.measured) continue;
      rows.push([row.phase, c.run, ...METRICS.map((m) => (c.figures ? withDifference(figureText(m.metric, c.figures), c.differences[m.metric]) : '—'))]);
    }
  }
  const sections = [
    `### incident-load compare · ${cell(names)}`,
    verdict,
    table(['phase', 'run', ...METRICS.map((m) => m.head)], rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right']),
    `Differences against ${text(comparison.baseline)}; ▲ ▼ a real difference, ~ within the runs' noise, ? too little to judge, ↻ one run a side cannot judge it (compare --repeat 3 can); docs/compare-significance.md.`,
  ];
  if (checks.length > 0) {
    sections.push(
      table(
        ['rule', 'phase', 'run', 'what moved', 'result'],
        checks.map((c) => [c.rule, c.phase, c.run, c.message.replace(/^\S+ \S+: /, ''), c.broken ? bold('broken') : c.unjudged ? 'not judged' : 'held']),
        ['left', 'left', 'left', 'left', 'left'],
      ),
    );
  }
  return `${sections.join('\n\n')}\n`;
}

function withDifference(value: string, d: Difference | undefined): string {
  return d ? `${value} ${formatDifference(d)}` : value;
}

/** Markup of the summary's own (bold verdicts), put in a cell as it is. */
interface Markup {
  markup: string;
}
const bold = (text: string): Markup => ({ markup: `**${text}**` });

/** A GitHub-flavoured markdown table; text cells escaped. */
function table(head: readonly string[], rows: readonly (readonly (string | Markup)[])[], align: readonly ('left' | 'right')[]): string {
  const line = (cells: readonly (string | Markup)[]): string => `| ${cells.map((c) => (typeof c === 'string' ? cell(c) : c.markup)).join(' | ')} |`;
  return [line(head), `|${align.map((a) => (a === 'right' ? '---:' : ':---')).join('|')}|`, ...rows.map(line)].join('\n');
}

/** One cell: text escaped, line breaks as spaces. */
function cell(text: string): string {
  return escaped(text.replace(/[\r\n]+/g, ' '));
}

/**
 * Text as the characters it is: every ASCII punctuation mark markdown or HTML gives a meaning to is
 * backslash-escaped (CommonMark shows an escaped mark as itself), so `![](…)`, `[…](…)`, `<img …>`,
 * `<!--`, emphasis and `|` stay text; so do bare URLs and addresses (GFM's autolinks), broken at ":",
 * "." after "www" and "@".
 */
function escaped(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>!|~&#@:]/g, (c) => `\\${c}`).replace(/\bwww\./gi, (w) => `${w.slice(0, -1)}\\.`);
}

/** Text from a profile or a result outside a table. */
const text = escaped;
