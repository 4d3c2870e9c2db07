// The per-phase table: what was offered, what came back and how fast, one row per phase and a total.
// The latency columns are the successes' (okLatencyMs): a failure that comes back fast (a 503 from an
// empty pool) would otherwise pull p50 down and read as good latency. One column, "p99 all", keeps the
// p99 of every completed request beside them, and "send lag p99" says how late the generator itself
// sent. When the terminal is narrow, the least telling columns go first (offered req/s before p99 all
// before p90 ...), never phase, offered, ok, success or p99.
import { formatDuration, formatRate } from '../../core/units.js';
import type { LatencySummary, PhaseResult } from '../../result/run-result.js';
import { formatCount, formatPercent, NONE, orNone } from './figures.js';
import { drawTable, widest } from './plain-table.js';
import { sectionTitle, truncate, type RenderOptions, type Style } from './style.js';

interface Column {
  key: string;
  head: string;
  align: 'left' | 'right';
  cell: (p: PhaseResult, style: Style) => string;
}

const okLatency = (pick: keyof LatencySummary) => (p: PhaseResult) => orNone(p.okLatencyMs, (l) => formatDuration(l[pick]));

const COLUMNS: Column[] = [
  { key: 'phase', head: 'phase', align: 'left', cell: (p) => phaseLabel(p) },
  { key: 'offered', head: 'offered', align: 'right', cell: (p) => formatCount(p.offered) },
  { key: 'offeredRate', head: 'offered\nreq/s', align: 'right', cell: (p) => formatRate(p.rps.offered) },
  { key: 'achievedRate', head: 'achieved\nreq/s', align: 'right', cell: (p) => formatRate(p.rps.achieved) },
  { key: 'ok', head: 'ok', align: 'right', cell: (p, s) => (p.ok > 0 ? s.good(formatCount(p.ok)) : formatCount(p.ok)) },
  { key: 'failed', head: 'failed', align: 'right', cell: (p, s) => (p.failed > 0 ? s.bad(formatCount(p.failed)) : formatCount(p.failed)) },
  { key: 'dropped', head: 'dropped', align: 'right', cell: (p, s) => (p.dropped > 0 ? s.warn(formatCount(p.dropped)) : formatCount(p.dropped)) },
  { key: 'success', head: 'success', align: 'right', cell: (p, s) => successCell(p, s) },
  { key: 'p50', head: 'p50', align: 'right', cell: okLatency('p50') },
  { key: 'p90', head: 'p90', align: 'right', cell: okLatency('p90') },
  { key: 'p99', head: 'p99', align: 'right', cell: okLatency('p99') },
  { key: 'p999', head: 'p99.9', align: 'right', cell: okLatency('p999') },
  { key: 'max', head: 'max', align: 'right', cell: okLatency('max') },
  { key: 'allP99', head: 'p99\nall', align: 'right', cell: (p) => orNone(p.latencyMs, (l) => formatDuration(l.p99)) },
  // Null for a closed-model phase: its users send when they are ready, so there is no schedule to be late for.
  { key: 'sendLag', head: 'send lag\np99', align: 'right', cell: (p) => orNone(p.sendLagMs, (l) => formatDuration(l.p99)) },
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
  // Without a failure every completion is a success, and "p99 all" repeats p99.
  const anyFailed = rows.some((p) => p.failed > 0);
  // Only closed-model phases: a column of dashes.
  const anyLag = rows.some((p) => p.sendLagMs);
  return [
    ...(retried ? [] : ['amplification']),
    ...(anyFailed ? [] : ['allP99']),
    ...(anyLag ? [] : ['sendLag']),
    'offeredRate',
    ...(anyFailed ? ['allP99'] : []),
    'p90',
    'max',
    'p999',
    // Kept over the tail latencies: when the generator fell behind, they are partly its own lateness.
    ...(anyLag ? ['sendLag'] : []),
    ...(retried ? ['amplification'] : []),
    ...(anyDropped ? [] : ['dropped']),
    'achievedRate',
    'p50',
    ...(anyDropped ? ['dropped'] : []),
    'failed',
  ];
}

export function renderPhaseTable(phases: readonly PhaseResult[], total: PhaseResult, options: RenderOptions, style: Style): string {
  const { text, keys } = renderRows(phases, [total], options, style);
  return `${sectionTitle('phases', columnNote(keys), options.width, style)}\n${text}`;
}

/** What the title says about the columns shown: whose latencies they are, and the two that differ. */
function columnNote(keys: readonly string[]): string {
  const notes = ['latencies of successes, from the intended send'];
  if (keys.includes('allP99')) notes.push('p99 all: of every completed request, failures included');
  if (keys.includes('sendLag')) notes.push('send lag: how late the generator sent');
  return `(${notes.join('; ')})`;
}

/**
 * With a request mix: the same table for each class's requests alone, "phase · class" rows grouped by
 * phase, then each class's total. Empty without a mix.
 */
export function renderMixTable(phases: readonly PhaseResult[], total: PhaseResult, options: RenderOptions, style: Style): string {
  if (!total.mix) return '';
  // The class rows are labelled by their phase's label ("soak (20 vus) · batch"); the users are the phase's, shared by the classes.
  const rows = (p: PhaseResult): PhaseResult[] => (p.mix ?? []).map((c) => ({ ...c, name: `${phaseLabel(p)} · ${c.name}`, model: 'open' }));
  const title = sectionTitle('request mix', '(each class of request alone; latencies of successes, as above)', options.width, style);
  return `${title}\n${renderRows(phases.flatMap(rows), rows(total), options, style).text}`;
}

/** The table of `body` rows, a rule, then the `footer` rows (totals, their names in bold), and the columns it kept. */
function renderRows(body: readonly PhaseResult[], footer: readonly PhaseResult[], options: RenderOptions, style: Style): { text: string; keys: string[] } {
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
    const others =
      widest(
        draw(
          body,
          footer,
          keys.filter((k) => k !== 'phase'),
          style,
          undefined,
        ),
      ) + 2;
    text = draw(body, footer, keys, style, Math.max(4, options.width - others));
  }
  return { text, keys };
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
