// How requests ended, per phase and in total: final HTTP statuses, then error kinds without a status
// (timeout, ECONNREFUSED, ... and dropped: arrivals refused by --max-in-flight), then requests still in
// flight when an interrupted run stopped. Each with its share of what the phase offered, so the rows of
// a phase add up to 100%.
import { STATUS_CODES } from 'node:http';
import type { PhaseResult } from '../../result/run-result.js';
import { formatPercent } from './figures.js';
import { ExpectedStatuses } from '../../core/expected-statuses.js';
import { drawTable, widest } from './plain-table.js';
import { padStartVisible, sectionTitle, type RenderOptions, type Style } from './style.js';

export interface OutcomeRow {
  /** "200", "503", "timeout", "dropped", "unfinished". */
  outcome: string;
  kind: 'status' | 'error' | 'unfinished';
  /** Count per phase, in the order given, then the total. */
  counts: number[];
}

/** Outcome rows: statuses in numeric order, then error kinds by total count (dropped last), then unfinished. */
export function outcomeRows(phases: readonly PhaseResult[], total: PhaseResult): OutcomeRow[] {
  const scopes = [...phases, total];
  const statuses = Object.keys(total.statuses).sort((a, b) => Number(a) - Number(b));
  const errors = Object.keys(total.errors).sort((a, b) => {
    if ((a === 'dropped') !== (b === 'dropped')) return a === 'dropped' ? 1 : -1;
    return (total.errors[b] ?? 0) - (total.errors[a] ?? 0) || a.localeCompare(b);
  });
  const rows: OutcomeRow[] = [
    ...statuses.map((s) => ({ outcome: s, kind: 'status' as const, counts: scopes.map((p) => p.statuses[s] ?? 0) })),
    ...errors.map((e) => ({ outcome: e, kind: 'error' as const, counts: scopes.map((p) => p.errors[e] ?? 0) })),
  ];
  if (total.unfinished > 0) rows.push({ outcome: 'unfinished', kind: 'unfinished', counts: scopes.map((p) => p.unfinished) });
  return rows;
}

/** `expected`: the statuses that counted as success, drawn as good (the rest as bad). */
export function renderOutcomes(
  phases: readonly PhaseResult[],
  total: PhaseResult,
  options: RenderOptions,
  style: Style,
  expected = ExpectedStatuses.DEFAULT,
): string {
  const title = sectionTitle('outcomes', '(final outcome of each offered request, share of offered)', options.width, style);
  const rows = outcomeRows(phases, total);
  if (rows.length === 0) return `${title}\n${style.dim('nothing was offered')}`;
  const scopes = [...phases, total];
  // Widest first: every phase with shares, then counts only, then the total alone.
  const attempts: { scopes: PhaseResult[]; shares: boolean; phrases: boolean }[] = [
    { scopes, shares: true, phrases: true },
    { scopes, shares: true, phrases: false },
    { scopes, shares: false, phrases: false },
    { scopes: [total], shares: true, phrases: false },
  ];
  let text = '';
  for (const [i, attempt] of attempts.entries()) {
    // A column takes at least a digit and a space (a share: 7 more): a table that cannot fit is not drawn
    // to find that out (1000 phases by 100 outcomes took minutes).
    const least = attempt.scopes.length * (attempt.shares ? 9 : 2);
    if (least > options.width && i < attempts.length - 1) continue;
    text = draw(rows, scopes, attempt, style, expected);
    if (widest(text) <= options.width) break;
  }
  return `${title}\n${text}`;
}

function draw(
  rows: OutcomeRow[],
  all: PhaseResult[],
  how: { scopes: PhaseResult[]; shares: boolean; phrases: boolean },
  style: Style,
  expected: ExpectedStatuses,
): string {
  const { scopes: shown, shares, phrases } = how;
  const columns = shown.map((p) => all.indexOf(p));
  // Each column's width once (not per cell: 1000 phases by 100 outcomes made that a billion steps).
  const widths = new Map<number, number>();
  const countWidth = (i: number): number => {
    let width = widths.get(i);
    if (width === undefined) widths.set(i, (width = rows.reduce((w, r) => Math.max(w, String(r.counts[i]).length), 0)));
    return width;
  };
  const cell = (row: OutcomeRow, i: number): string => {
    const n = row.counts[i]!;
    const offered = all[i]!.offered;
    const count = padStartVisible(String(n), countWidth(i));
    if (n === 0) return style.dim(shares ? `${count} ${' '.repeat(6)}` : count);
    return shares ? `${count} ${padStartVisible(offered > 0 ? formatPercent(n / offered) : '-', 6)}` : count;
  };
  return drawTable({
    head: ['outcome', ...shown.map((p) => p.name)],
    align: ['left', ...shown.map(() => 'right' as const)],
    rows: rows.map((row) => [label(row, phrases, style, expected), ...columns.map((i) => cell(row, i))]),
  });
}

function label(row: OutcomeRow, phrases: boolean, style: Style, expected: ExpectedStatuses): string {
  if (row.kind === 'status') {
    const code = Number(row.outcome);
    const phrase = phrases ? STATUS_CODES[code] : undefined;
    const text = phrase ? `${row.outcome} ${phrase}` : row.outcome;
    return expected.has(code) ? style.good(text) : style.bad(text);
  }
  if (row.kind === 'unfinished' || row.outcome === 'dropped') return style.warn(row.outcome);
  return style.bad(row.outcome);
}
