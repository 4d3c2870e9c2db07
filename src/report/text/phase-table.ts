// The per-phase table: what was offered, what came back and how fast, one row per phase and a total.
// When the terminal is narrow, the least telling columns go first (offered req/s before p90 before
// max ...), never phase, offered, ok, success or p99.
import { formatDuration, formatRate } from '../../profile/units.js';
import type { LatencySummary, PhaseResult } from '../result.js';
import { formatCount, formatPercent, NONE, orNone } from './figures.js';
import { drawTable, widest } from './plain-table.js';
import { sectionTitle, truncate, type RenderOptions, type Style } from './style.js';

interface Column {
  key: string;
  head: string;
  align: 'left' | 'right';
  cell: (p: PhaseResult, style: Style) => string;
}

const latency = (pick: keyof LatencySummary) => (p: PhaseResult) => orNone(p.latencyMs, (l) => formatDuration(l[pick]));

const COLUMNS: Column[] = [
  { key: 'phase', head: 'phase', align: 'left', cell: (p) => phaseLabel(p) },
  { key: 'offered', head: 'offered', align: 'right', cell: (p) => formatCount(p.offered) },
  { key: 'offeredRate', head: 'offered\nreq/s', align: 'right', cell: (p) => formatRate(p.rps.offered) },
  { key: 'achievedRate', head: 'achieved\nreq/s', align: 'right', cell: (p) => formatRate(p.rps.achieved) },
  { key: 'ok', head: 'ok', align: 'right', cell: (p, s) => (p.ok > 0 ? s.good(formatCount(p.ok)) : formatCount(p.ok)) },
  { key: 'failed', head: 'failed', align: 'right', cell: (p, s) => (p.failed > 0 ? s.bad(formatCount(p.failed)) : formatCount(p.failed)) },
  { key: 'dropped', head: 'dropped', align: 'right', cell: (p, s) => (p.dropped > 0 ? s.warn(formatCount(p.dropped)) : formatCount(p.dropped)) },
  { key: 'success', head: 'success', align: 'right', cell: (p, s) => successCell(p, s) },
  { key: 'p50', head: 'p50', align: 'right', cell: latency('p50') },
  { key: 'p90', head: 'p90', align: 'right', cell: latency('p90') },
  { key: 'p99', head: 'p99', align: 'right', cell: latency('p99') },
  { key: 'p999', head: 'p99.9', align: 'right', cell: latency('p999') },
  { key: 'max', head: 'max', align: 'right', cell: latency('max') },
  { key: 'amplification', head: 'attempts\n/request', align: 'right', cell: (p) => (p.sent > 0 ? (p.attempts / p.sent).toFixed(2) : NONE) },
];

/** The phase's name, closed-model phases marked with their users: "soak (20 vus)". */
function phaseLabel(p: PhaseResult): string {
  return p.model === 'closed' && p.name !== 'total' ? `${p.name} (${p.vus !== undefined ? `${p.vus} vus` : 'closed'})` : p.name;
}

/** Dropped first when the table is too wide; the columns not listed are always kept. */
function dropOrder(rows: readonly PhaseResult[]): string[] {
  const retried = rows.some((p) => p.attempts > p.sent);
  const anyDropped = rows.some((p) => p.dropped > 0);
  return [
    ...(retried ? [] : ['amplification']),
    'offeredRate',
    'p90',
    'max',
    'p999',
    ...(retried ? ['amplification'] : []),
    ...(anyDropped ? [] : ['dropped']),
    'achievedRate',
    'p50',
    ...(anyDropped ? ['dropped'] : []),
    'failed',
  ];
}

export function renderPhaseTable(phases: readonly PhaseResult[], total: PhaseResult, options: RenderOptions, style: Style): string {
  return renderRows(phases, [total], options, style);
}

/**
 * With a request mix: the same table for each class's requests alone, "phase · class" rows grouped by
 * phase, then each class's total. Empty without a mix.
 */
export function renderMixTable(phases: readonly PhaseResult[], total: PhaseResult, options: RenderOptions, style: Style): string {
  if (!total.mix) return '';
  // The class rows are labelled by their phase's label ("soak (20 vus) · batch"); the users are the phase's, shared by the classes.
  const rows = (p: PhaseResult): PhaseResult[] => (p.mix ?? []).map((c) => ({ ...c, name: `${phaseLabel(p)} · ${c.name}`, model: 'open' }));
  const title = sectionTitle('request mix', '(each class of request alone)', options.width, style);
  return `${title}\n${renderRows(phases.flatMap(rows), rows(total), options, style)}`;
}

/** The table of `body` rows, a rule, then the `footer` rows (totals, their names in bold). */
function renderRows(body: readonly PhaseResult[], footer: readonly PhaseResult[], options: RenderOptions, style: Style): string {
  const rows = [...body, ...footer];
  let keys = COLUMNS.map((c) => c.key);
  const order = dropOrder(rows);
  let text = draw(body, footer, keys, style, undefined);
  while (tooWide(text, options.width) && order.length > 0) {
    const drop = order.shift()!;
    keys = keys.filter((k) => k !== drop);
    text = draw(body, footer, keys, style, undefined);
  }
  if (tooWide(text, options.width)) {
    // Still too wide with only the essential columns: shorten the phase names.
    const others = widest(draw(body, footer, keys.filter((k) => k !== 'phase'), style, undefined)) + 2;
    text = draw(body, footer, keys, style, Math.max(4, options.width - others));
  }
  return text;
}

function draw(body: readonly PhaseResult[], footer: readonly PhaseResult[], keys: readonly string[], style: Style, nameWidth: number | undefined): string {
  const columns = COLUMNS.filter((c) => keys.includes(c.key));
  const row = (p: PhaseResult, strong: boolean): string[] =>
    columns.map((c) => {
      let content = c.cell(p, style);
      if (c.key === 'phase') {
        if (nameWidth !== undefined) content = truncate(content, nameWidth);
        if (strong) content = style.strong(content);
      }
      return content;
    });
  return drawTable({
    head: columns.map((c) => c.head),
    align: columns.map((c) => c.align),
    rows: [...body.map((p) => row(p, false)), ...footer.map((p) => row(p, true))],
    ruleAbove: [body.length],
  });
}

function successCell(p: PhaseResult, style: Style): string {
  if (p.offered === 0) return NONE;
  const text = formatPercent(p.successRatio);
  if (p.successRatio >= 0.99) return style.good(text);
  if (p.successRatio >= 0.9) return style.warn(text);
  return style.bad(text);
}

function tooWide(text: string, width: number): boolean {
  return widest(text) > width;
}
