// The per-phase table, as the terminal's but with every column (a page has room): what was offered, what
// came back and how fast; latencies of successes from the intended send, "p99 all" of every completion,
// the send lag, attempts per request. With a request mix, the same for each class alone.
import { formatDuration, formatRate } from '../../../core/units.js';
import type { LatencySummary, PhaseResult } from '../../../result/run-result.js';
import { formatCount, formatPercent, NONE, orNone } from '../../text/figures.js';
import { num, renderTable, type Cell, type Row } from './html-table.js';

const HEAD = [
  'phase',
  'start',
  'length',
  'offered',
  'offered req/s',
  'achieved req/s',
  'ok',
  'failed',
  'dropped',
  'success',
  'p50',
  'p90',
  'p99',
  'p99.9',
  'max',
  'p99 all',
  'send lag p99',
  'attempts /request',
].map((text, i) => (i === 0 ? text : { text, class: 'num' }));

const latency = (l: LatencySummary | null, pick: keyof LatencySummary): string => orNone(l, (s) => formatDuration(s[pick]));

/** "good" at 99% and over, "warn" at 90%, "bad" below: as the terminal paints it. */
export function successClass(ratio: number): string {
  return ratio >= 0.99 ? 'good' : ratio >= 0.9 ? 'warn' : 'bad';
}

function phaseRow(p: PhaseResult, label: string, key: string, total: boolean): Row {
  const cells: Cell[] = [
    { text: label, class: 'name' },
    num(p.startMs === 0 ? '0s' : formatDuration(p.startMs), 'start'),
    num(formatDuration(p.durationMs), 'length'),
    num(formatCount(p.offered), 'offered'),
    num(formatRate(p.rps.offered), 'offeredRate'),
    num(formatRate(p.rps.achieved), 'achievedRate'),
    num(formatCount(p.ok), 'ok', p.ok > 0 ? { class: 'good' } : undefined),
    num(formatCount(p.failed), 'failed', p.failed > 0 ? { class: 'bad' } : undefined),
    num(formatCount(p.dropped), 'dropped', p.dropped > 0 ? { class: 'warn' } : undefined),
    p.offered === 0 ? num(NONE, 'success') : num(formatPercent(p.successRatio), 'success', { class: successClass(p.successRatio) }),
    num(latency(p.okLatencyMs, 'p50'), 'p50'),
    num(latency(p.okLatencyMs, 'p90'), 'p90'),
    num(latency(p.okLatencyMs, 'p99'), 'p99'),
    num(latency(p.okLatencyMs, 'p999'), 'p999'),
    num(latency(p.okLatencyMs, 'max'), 'max'),
    num(latency(p.latencyMs, 'p99'), 'allP99'),
    num(latency(p.sendLagMs, 'p99'), 'sendLag'),
    num(p.sent > 0 ? (p.attempts / p.sent).toFixed(2) : NONE, 'amplification'),
  ];
  return { cells, key, ...(total ? { class: 'total' } : {}) };
}

/** Closed-model phases marked with their users: "soak (20 vus)". */
export function phaseLabel(p: PhaseResult): string {
  return p.model === 'closed' && p.name !== 'total' ? `${p.name} (${p.vus !== undefined ? `${p.vus} vus` : 'closed'})` : p.name;
}

export function renderPhaseTable(phases: readonly PhaseResult[], total: PhaseResult): string {
  return renderTable({
    id: 'phase-table',
    head: HEAD,
    rows: [...phases.map((p) => phaseRow(p, phaseLabel(p), p.name, false)), phaseRow(total, 'total', 'total', true)],
  });
}

/** Each class's requests alone, "phase · class" rows grouped by phase, then each class's total; empty without a mix. */
export function renderMixTable(phases: readonly PhaseResult[], total: PhaseResult): string {
  if (!total.mix) return '';
  const rows = (p: PhaseResult, isTotal: boolean): Row[] =>
    (p.mix ?? []).map((c) => phaseRow(c, `${isTotal ? 'total' : phaseLabel(p)} · ${c.name}`, `${isTotal ? 'total' : p.name} · ${c.name}`, isTotal));
  return renderTable({ id: 'mix-table', head: HEAD, rows: [...phases.flatMap((p) => rows(p, false)), ...rows(total, true)] });
}
