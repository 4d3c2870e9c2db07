// The run over time, one column per timeline window (or per few windows on a narrow terminal): success
// ratio, throughput and p99, and, against the bundled mock, its queue, busy workers, fleet size and
// ready routers; through the proxy, its requests at the upstream, waiting at a cap, held, and the mean
// latency its faults added. Under the chart an axis marks where each phase began and where each fault struck.
// A window with nothing to show is a dot, never a zero-height bar, so "no data" and "zero" stay apart.
import { formatDuration, formatRate } from '../../core/units.js';
import type { FaultOutcome, MockSample, PhaseResult, ProxySample, TimelineWindow } from '../../result/run-result.js';
import { level, levelChar, ZERO } from './bar.js';
import { sectionTitle, truncate, type RenderOptions, type Style } from './style.js';

/** One drawn column: one window, or several merged when the terminal is narrower than the timeline. */
export interface TimelineColumn extends Pick<TimelineWindow, 't' | 'durationMs' | 'offered' | 'ok' | 'failed' | 'dropped'> {
  /** Worst p99 of the merged windows; null when none completed anything. */
  p99: number | null;
  /** Worst of the merged samples: most queued and busy, fewest workers and routers ready. */
  mock: ColumnSample | undefined;
  /** The proxy's: most in flight, queued and held; its counters as of the column's last sample. */
  proxy: ProxySample | undefined;
}

/** A mock sample as drawn; routersReady is undefined when the mock runs without routers. */
export interface ColumnSample {
  queued: number;
  busy: number;
  workers: number;
  routersReady: number | undefined;
}

/** Routers ready, or undefined for a mock without a router stage (reported as null). */
function routersReady(m: MockSample): number | undefined {
  return (m.routersReady as number | null | undefined) ?? undefined;
}

export interface TimelineRow {
  label: string;
  /** Value per column; undefined where the column has no data. */
  values: (number | undefined)[];
  max: number;
  scale: string;
  /** The colour of a value's column (the default is the chart colour). */
  paint?: (value: number) => PaintName;
}

type PaintName = 'good' | 'warn' | 'bad' | 'accent' | 'dim';
interface Cell {
  ch: string;
  paint: PaintName;
}

const LABEL_WIDTH = 8;
const NO_DATA = '·';

/**
 * The windows to draw: an interrupted run's timeline still holds the windows it never reached; those
 * (empty, after the end of the last phase begun) are left out. Windows after the end that hold late
 * completions stay.
 */
export function untilEnd(timeline: readonly TimelineWindow[], phases: readonly PhaseResult[]): TimelineWindow[] {
  const last = phases.at(-1);
  const endMs = last ? last.startMs + last.durationMs : 0;
  const hasData = (w: TimelineWindow): boolean => w.offered + w.ok + w.failed + w.dropped > 0 || w.p99 !== null || w.mock !== undefined;
  let n = timeline.length;
  while (n > 0 && timeline[n - 1]!.t >= endMs && !hasData(timeline[n - 1]!)) n--;
  return timeline.slice(0, n);
}

/** Groups windows `perColumn` at a time. */
export function timelineColumns(windows: readonly TimelineWindow[], perColumn: number): TimelineColumn[] {
  const columns: TimelineColumn[] = [];
  for (let i = 0; i < windows.length; i += perColumn) {
    const group = windows.slice(i, i + perColumn);
    const sum = (pick: (w: TimelineWindow) => number): number => group.reduce((acc, w) => acc + pick(w), 0);
    const p99s = group.map((w) => w.p99).filter((p): p is number => p !== null);
    const samples = group.map((w) => w.mock).filter((m): m is MockSample => m !== undefined);
    const proxies = group.map((w) => w.proxy).filter((m): m is ProxySample => m !== undefined);
    columns.push({
      t: group[0]!.t,
      durationMs: sum((w) => w.durationMs),
      offered: sum((w) => w.offered),
      ok: sum((w) => w.ok),
      failed: sum((w) => w.failed),
      dropped: sum((w) => w.dropped),
      p99: p99s.length > 0 ? Math.max(...p99s) : null,
      mock:
        samples.length > 0
          ? {
              queued: Math.max(...samples.map((m) => m.queued)),
              busy: Math.max(...samples.map((m) => m.busy)),
              workers: Math.min(...samples.map((m) => m.workers)),
              routersReady: minOf(samples.map(routersReady)),
            }
          : undefined,
      proxy:
        proxies.length > 0
          ? {
              ...proxies.at(-1)!,
              inFlight: Math.max(...proxies.map((m) => m.inFlight)),
              queued: Math.max(...proxies.map((m) => m.queued)),
              held: Math.max(...proxies.map((m) => m.held)),
            }
          : undefined,
    });
  }
  return columns;
}

function minOf(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? Math.min(...known) : undefined;
}

/**
 * Row maxima by row label ("ok/s", "p99", ...), shared by charts drawn one above the other (compare), so
 * the same bar height means the same value in each.
 */
export type TimelineScale = Readonly<Record<string, number>>;

/** The rows drawn for these columns, in order; mock rows only when some window carries a sample. */
export function timelineRows(columns: readonly TimelineColumn[], shared: TimelineScale = {}): TimelineRow[] {
  const ownMax = (values: (number | undefined)[]): number => Math.max(0, ...values.filter((v): v is number => v !== undefined));
  const maxOf = (label: string, values: (number | undefined)[]): number => Math.max(ownMax(values), shared[label] ?? 0);
  const scale = (label: string, values: (number | undefined)[], format: (max: number) => string): string =>
    values.some((v) => v !== undefined) ? `max ${format(maxOf(label, values))}` : 'no data';
  const finished = (c: TimelineColumn): number => c.ok + c.failed + c.dropped;
  const active = (c: TimelineColumn): boolean => c.offered + finished(c) > 0;

  const success = columns.map((c) => (finished(c) > 0 ? c.ok / finished(c) : undefined));
  const throughput = columns.map((c) => (active(c) && c.durationMs > 0 ? c.ok / (c.durationMs / 1000) : undefined));
  const p99 = columns.map((c) => c.p99 ?? undefined);
  const rows: TimelineRow[] = [
    {
      label: 'success',
      values: success,
      max: 1,
      scale: scale('success', success, () => '100%'),
      paint: (v) => (v >= 0.99 ? 'good' : v >= 0.9 ? 'warn' : 'bad'),
    },
    { label: 'ok/s', values: throughput, max: maxOf('ok/s', throughput), scale: scale('ok/s', throughput, formatRate) },
    { label: 'p99', values: p99, max: maxOf('p99', p99), scale: scale('p99', p99, formatDuration) },
  ];
  if (columns.some((c) => c.mock)) {
    const gauge = (label: string, pick: (m: ColumnSample) => number | undefined): TimelineRow => {
      const values = columns.map((c) => (c.mock ? pick(c.mock) : undefined));
      return { label, values, max: maxOf(label, values), scale: scale(label, values, String) };
    };
    rows.push(
      gauge('queued', (m) => m.queued),
      gauge('busy', (m) => m.busy),
      gauge('workers', (m) => m.workers),
    );
    // A mock without a router stage has no routers to show (null, or none ready all along): a row of
    // zeros would read as an outage that never happened.
    const routers = gauge('routers', (m) => m.routersReady);
    if (ownMax(routers.values) > 0) rows.push(routers);
  }
  if (columns.some((c) => c.proxy)) {
    const gauge = (label: string, pick: (m: ProxySample) => number): TimelineRow => {
      const values = columns.map((c) => (c.proxy ? pick(c.proxy) : undefined));
      return { label, values, max: maxOf(label, values), scale: scale(label, values, String) };
    };
    rows.push(gauge('upstream', (m) => m.inFlight));
    // Queued (at a cap) and held (by a blackhole) only when some fault made them so.
    for (const row of [gauge('queued', (m) => m.queued), gauge('held', (m) => m.held)]) if (ownMax(row.values) > 0) rows.push(row);
    // Mean added per request reaching the proxy in the column: the counters' growth since the last sample.
    let before: ProxySample | undefined;
    const added = columns.map((c) => {
      if (!c.proxy) return undefined;
      const from = before ?? { requests: 0, addedMs: 0 };
      before = c.proxy;
      const requests = c.proxy.requests - from.requests;
      return requests > 0 ? Math.max(0, c.proxy.addedMs - from.addedMs) / requests : 0;
    });
    rows.push({ label: 'added', values: added, max: maxOf('added', added), scale: scale('added', added, formatDuration) });
  }
  return rows;
}

// The widest scale text is known only once the columns are; "max 100%" and a few more fit in 12.
const SCALE_WIDTH = 12;

/** The windows drawn, merged `perColumn` at a time so they fit the width. */
function chartColumns(
  timeline: readonly TimelineWindow[],
  phases: readonly PhaseResult[],
  width: number,
): { windows: TimelineWindow[]; perColumn: number; columns: TimelineColumn[] } {
  const windows = untilEnd(timeline, phases);
  const room = Math.max(8, width - LABEL_WIDTH - 1 - 1 - SCALE_WIDTH);
  const perColumn = Math.max(1, Math.ceil(windows.length / room));
  return { windows, perColumn, columns: timelineColumns(windows, perColumn) };
}

/** The largest value of each row over several runs' charts at this width: their shared scale. */
export function sharedTimelineScale(runs: readonly { timeline: readonly TimelineWindow[]; phases: readonly PhaseResult[] }[], width: number): TimelineScale {
  const scale: Record<string, number> = {};
  for (const run of runs) {
    for (const row of timelineRows(chartColumns(run.timeline, run.phases, width).columns)) scale[row.label] = Math.max(scale[row.label] ?? 0, row.max);
  }
  return scale;
}

/** `scale`: row maxima to draw against when several charts are read together (default: this run's own). */
export function renderTimeline(
  timeline: readonly TimelineWindow[],
  phases: readonly PhaseResult[],
  faults: readonly FaultOutcome[],
  options: RenderOptions,
  style: Style,
  scale: TimelineScale = {},
): string {
  const { windows, perColumn, columns } = chartColumns(timeline, phases, options.width);
  if (windows.length === 0) return `${style.heading('timeline')}\n${style.dim('no windows recorded')}`;
  const windowMs = windows[0]!.durationMs;
  const scaleWidth = SCALE_WIDTH;
  const columnMs = windowMs * perColumn;
  const rows = timelineRows(columns, scale);

  const merged = perColumn > 1 ? ` (${perColumn} windows each: their sums, and the worst p99 and mock sample)` : '';
  // The windows' p99 is of every completion (src/record/timeline.ts), unlike the phase table's of successes.
  const note = `${formatDuration(columnMs)} per column${merged}; success = ok ÷ (ok + failed + dropped) finishing in the column; p99 of every request finishing in it, failures included; ok/s per second of incident time; ${ZERO} zero, ${NO_DATA} no data`;
  const lines = [sectionTitle('timeline', note, options.width, style)];
  for (const row of rows) {
    const cells = row.values.map((v): Cell => {
      if (v === undefined) return { ch: NO_DATA, paint: 'dim' };
      return { ch: levelChar(level(v, row.max)), paint: row.paint ? row.paint(v) : 'accent' };
    });
    lines.push(`${row.label.padEnd(LABEL_WIDTH)} ${paintRuns(cells, style)} ${style.dim(truncate(row.scale, scaleWidth))}`);
  }

  const columnOf = (t: number): number => Math.max(0, Math.min(columns.length, Math.floor(t / columnMs)));
  const marked = faults.map((f, i) => ({ fault: f, mark: faultMark(i), column: Math.min(columns.length - 1, columnOf(f.at)) }));
  if (marked.length > 0) {
    const row = Array.from({ length: columns.length }, () => ' ');
    for (const m of marked) row[m.column] = row[m.column] === ' ' ? m.mark : '*';
    lines.push(`${'faults'.padEnd(LABEL_WIDTH)} ${style.warn(row.join('').trimEnd())}`);
  }
  lines.push(...axis(phases, columns.length, columnOf, options, style));
  for (const m of marked) {
    const params = Object.entries(m.fault.params).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    const failed = m.fault.error ? ` — not applied: ${m.fault.error}` : '';
    const text = `${' '.repeat(LABEL_WIDTH)} ${m.mark}  at ${formatTime(m.fault.at)}  ${[m.fault.fault, ...params].join(' ')}${failed}`;
    lines.push((m.fault.error ? style.bad : style.warn)(truncate(text, options.width)));
  }
  return lines.join('\n');
}

/** Cells painted a run at a time, so a coloured row is not an escape sequence per character. */
function paintRuns(cells: readonly Cell[], style: Style): string {
  let out = '';
  for (let i = 0; i < cells.length;) {
    let j = i;
    while (j < cells.length && cells[j]!.paint === cells[i]!.paint) j++;
    out += style[cells[i]!.paint](
      cells
        .slice(i, j)
        .map((c) => c.ch)
        .join(''),
    );
    i = j;
  }
  return out;
}

/** 1..9, then a..z, then + for any more. */
function faultMark(i: number): string {
  if (i < 9) return String(i + 1);
  if (i < 9 + 26) return String.fromCharCode(97 + i - 9);
  return '+';
}

/** The axis under the chart: phase boundaries, their names, and their start times. */
function axis(phases: readonly PhaseResult[], columns: number, columnOf: (t: number) => number, options: RenderOptions, style: Style): string[] {
  const length = Math.min(columns + 1, options.width - LABEL_WIDTH - 1);
  const starts = phases.map((p) => ({ name: p.name, column: columnOf(p.startMs), at: p.startMs }));
  const last = phases.at(-1);
  const endMs = last ? last.startMs + last.durationMs : 0;
  const endColumn = Math.min(length - 1, columnOf(endMs));
  const line = Array.from({ length }, (_, i): string => (i < columns ? '─' : ' '));
  for (const s of starts) if (s.column < length) line[s.column] = s.column === 0 ? '├' : '┼';
  if (last && endColumn > (starts.at(-1)?.column ?? -1)) line[endColumn] = '┤';

  const names = placeLabels(
    starts.map((s, i) => ({ column: s.column, text: s.name, until: starts[i + 1]?.column ?? length })),
    length,
  );
  // The end time may run past the axis, into the room the scale takes above.
  const timesLength = Math.max(length, options.width - LABEL_WIDTH - 1);
  const times = placeLabels(
    [...starts.map((s) => ({ column: s.column, text: formatTime(s.at) })), ...(last ? [{ column: endColumn, text: formatTime(endMs) }] : [])].map(
      (l, i, all) => ({ ...l, until: all[i + 1]?.column ?? timesLength }),
    ),
    timesLength,
  );
  const indent = ' '.repeat(LABEL_WIDTH + 1);
  return [`${'phases'.padEnd(LABEL_WIDTH)} ${style.dim(line.join('').trimEnd())}`, `${indent}${names.trimEnd()}`, `${indent}${style.dim(times.trimEnd())}`];
}

/** Writes each label at its column, cut to end before the next one's column; skips any that would overlap. */
function placeLabels(labels: { column: number; text: string; until: number }[], length: number): string {
  const out = Array.from({ length }, () => ' ');
  let free = 0;
  for (const l of labels) {
    if (l.column < free || l.column >= length) continue;
    const room = Math.min(l.until, length) - l.column - 1;
    const text = room >= l.text.length ? l.text : truncate(l.text, Math.max(0, room));
    if (text.length === 0) continue;
    [...text].forEach((ch, i) => (out[l.column + i] = ch));
    free = l.column + text.length + 1;
  }
  return out.join('');
}

/** A point in incident time: "0s" at the start, then 950ms, 1.5s, 2m30s... */
function formatTime(ms: number): string {
  return ms === 0 ? '0s' : formatDuration(ms);
}
