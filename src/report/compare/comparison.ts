// The comparison of runs: each run's per-phase figures (success, goodput, p50 and p99 of successes, the
// same of every completion, attempts per request, top failure), phases matched by name in the order of
// the first run, and every later run's difference from the first. Pure: results in, a plain value out;
// the text and the JSON are drawn from it.
import type { PhaseResult, RunResult, ThresholdResult } from '../../result/run-result.js';
import { differences, type Differences, type Metric } from './difference.js';
import { judgeRow, type RowScope } from './significance.js';
import { judgeBetweenRuns } from './between-runs.js';
import { ExpectedStatuses } from '../../core/expected-statuses.js';

/** Where a run's result came from: run by this compare, or read from a saved `--json` file. */
export type RunSource = { kind: 'ran' } | { kind: 'file'; path: string };

export interface CompareInput {
  /** The profile name (of the result, or of the profile that was not run). */
  name: string;
  source: RunSource;
  /** Undefined when the run never started (compare was interrupted before its turn). */
  result: RunResult | undefined;
  /**
   * Repeats of the same configuration beyond `result` (compare --repeat, or a directory of saved runs):
   * the cell's figures are the group's, and differences are judged between runs.
   */
  repeats?: RunResult[];
}

/** What the header says about a run; figures are undefined for a run that never started. */
export interface ComparedRun {
  /** A, B, C, ... by position on the command line. */
  label: string;
  name: string;
  source: RunSource;
  measured: boolean;
  speed?: number;
  /** 'virtual': a simulated run (ramp --virtual); its wall time is the simulation's. */
  clock?: 'virtual';
  seed?: number;
  wallMs?: number;
  /** Incident time measured, and the length the run was planned to have (they differ when interrupted). */
  incidentMs?: number;
  plannedMs?: number;
  interrupted?: boolean;
  thresholds?: ThresholdResult[];
  /** Runs in the group (1 unless repeated) and their seeds. */
  runs: number;
  seeds?: number[];
}

export interface TopFailure {
  /** A non-2xx status ("504") or an error kind ("timeout", "dropped"). */
  outcome: string;
  count: number;
  /** Share of the phase's offered requests. */
  share: number;
}

export interface PhaseFigures {
  offered: number;
  /** ok / offered; null when nothing was offered. */
  success: number | null;
  /** Successful requests per second of incident time. */
  goodput: number;
  /**
   * Latency of the successes, incident ms; null when none succeeded. Of successes because a run whose
   * failures come back fast (503s from an empty pool) would otherwise look faster than one that serves.
   * Documents from before allP50/allP99 existed had every completion's latency here.
   */
  p50: number | null;
  p99: number | null;
  /** Latency of every completed request, failures included, incident ms; null when none completed. */
  allP50: number | null;
  allP99: number | null;
  /** attempts / sent (amplification); null when nothing was sent. */
  amplification: number | null;
  topFailure: TopFailure | null;
}

export interface ComparisonCell {
  run: string;
  /** Null when the run has no phase of this name. */
  figures: PhaseFigures | null;
  /** Against the baseline run; empty for the baseline itself and wherever either side has no figure. */
  differences: Differences;
}

export interface ComparisonRow {
  /** The phase name, or "total". */
  phase: string;
  /** With a request mix: the class this row is about (the phase's requests of that class alone). */
  class?: string;
  total: boolean;
  /** One per run, in run order. */
  cells: ComparisonCell[];
}

export interface Comparison {
  /** Label of the run the others are measured against: the first. */
  baseline: string;
  runs: ComparedRun[];
  /** Phases in the order of the first run (then any only later runs have), then the total; each followed by its request-mix classes, if any. */
  rows: ComparisonRow[];
}

export function runLabel(index: number): string {
  let label = '';
  for (let n = index; n >= 0; n = Math.floor(n / 26) - 1) label = String.fromCharCode(65 + (n % 26)) + label;
  return label;
}

export function buildComparison(runs: readonly CompareInput[]): Comparison {
  if (runs.length === 0) throw new Error('buildComparison: no runs');
  const compared = runs.map((run, i) => describeRun(run, i));
  const results = runs.map((r) => r.result);
  const baselineIndex = Math.max(
    0,
    results.findIndex((r) => r !== undefined),
  );

  const names: string[] = [];
  for (const result of [results[baselineIndex], ...results]) for (const p of result?.phases ?? []) if (!names.includes(p.name)) names.push(p.name);

  const groups = runs.map((run) => (run.result ? [run.result, ...(run.repeats ?? [])] : []));
  const row = (phase: string, total: boolean, pick: (r: RunResult) => PhaseResult | undefined, cls?: string): ComparisonRow => {
    // Each run's figures (each member's, when repeated), and the figures the table shows: the group's.
    const members = groups.map((group) =>
      group.map((r) => {
        const p = pick(r);
        return p ? phaseFigures(p, expectedOf(r)) : null;
      }),
    );
    const figures = members.map((m) => (m.length === 0 || m.some((f) => f === null) ? null : groupFigures(m as PhaseFigures[])));
    const base = figures[baselineIndex] ?? null;
    const scope: RowScope = cls !== undefined ? { kind: 'class' } : total ? { kind: 'total' } : { kind: 'phase', name: phase };
    const judged = (i: number, f: PhaseFigures): Differences => {
      const d = differences(base!, f);
      const labels: [string, string] = [compared[baselineIndex]!.label, compared[i]!.label];
      const shown = Object.fromEntries(Object.entries(d).map(([metric, difference]) => [metric, difference.value]));
      const first = groups[baselineIndex]!;
      const later = groups[i]!;
      if (first.length > 1 || later.length > 1) {
        const windows: [number, number] = [first[0]!.timeline.length, later[0]!.timeline.length];
        for (const metric of Object.keys(d) as Metric[]) {
          const of = (m: (PhaseFigures | null)[]): (number | null)[] => m.map((x) => x?.[metric] ?? null);
          d[metric]!.significance = judgeBetweenRuns(metric, of(members[baselineIndex]!), of(members[i]!), windows);
        }
        return d;
      }
      const verdicts = judgeRow(first[0]!, later[0]!, scope, labels, `compare ${labels.join(' ')} ${total ? 'total' : `phase ${phase}`}`, shown);
      for (const metric of Object.keys(d) as Metric[]) d[metric]!.significance = verdicts[metric];
      return d;
    };
    return {
      phase,
      ...(cls !== undefined ? { class: cls } : {}),
      total,
      cells: figures.map((f, i) => ({
        run: compared[i]!.label,
        figures: f,
        differences: i === baselineIndex || f === null || base === null ? {} : judged(i, f),
      })),
    };
  };
  // With a request mix, each phase row is followed by one per class.
  const classes: string[] = [];
  for (const result of results) for (const c of result?.total.mix ?? []) if (!classes.includes(c.name)) classes.push(c.name);
  const withClasses = (name: string, total: boolean, pick: (r: RunResult) => PhaseResult | undefined): ComparisonRow[] => [
    row(name, total, pick),
    ...classes.map((c) => row(name, total, (r) => pick(r)?.mix?.find((m) => m.name === c), c)),
  ];
  return {
    baseline: compared[baselineIndex]!.label,
    runs: compared,
    rows: [...names.flatMap((name) => withClasses(name, false, (r) => r.phases.find((p) => p.name === name))), ...withClasses('total', true, (r) => r.total)],
  };
}

function describeRun(run: CompareInput, index: number): ComparedRun {
  const label = runLabel(index);
  const r = run.result;
  if (!r) return { label, name: run.name, source: run.source, measured: false, runs: 0 };
  const repeats = run.repeats ?? [];
  return {
    label,
    runs: 1 + repeats.length,
    ...(repeats.length > 0 ? { seeds: [r, ...repeats].map((x) => x.profile.seed) } : {}),
    name: r.profile.name,
    source: run.source,
    measured: true,
    speed: r.profile.speed,
    ...(r.profile.clock ? { clock: r.profile.clock } : {}),
    seed: r.profile.seed,
    wallMs: r.wallMs,
    incidentMs: r.total.durationMs,
    plannedMs: r.plannedMs,
    interrupted: r.interrupted,
    thresholds: r.thresholds,
  };
}

/** The statuses that counted as success in a run (2xx for results written before the setting existed). */
export function expectedOf(result: RunResult): ExpectedStatuses {
  return result.profile.expectedStatuses === undefined ? ExpectedStatuses.DEFAULT : ExpectedStatuses.parse(result.profile.expectedStatuses);
}

export function phaseFigures(p: PhaseResult, expected = ExpectedStatuses.DEFAULT): PhaseFigures {
  return {
    offered: p.offered,
    success: p.offered > 0 ? p.successRatio : null,
    goodput: p.rps.goodput,
    // A hand-written or damaged result may lack okLatencyMs: null (no figure) rather than a crash.
    p50: p.okLatencyMs?.p50 ?? null,
    p99: p.okLatencyMs?.p99 ?? null,
    allP50: p.latencyMs?.p50 ?? null,
    allP99: p.latencyMs?.p99 ?? null,
    amplification: p.sent > 0 ? p.attempts / p.sent : null,
    topFailure: topFailure(p, expected),
  };
}

/** The most frequent failed outcome: a status not expected, or an error kind; on a tie, the lowest status, then errors by name. */
export function topFailure(p: PhaseResult, expected = ExpectedStatuses.DEFAULT): TopFailure | null {
  const failures = [
    ...Object.entries(p.statuses)
      .filter(([status]) => !expected.has(Number(status)))
      .sort(([a], [b]) => Number(a) - Number(b)),
    ...Object.entries(p.errors).sort(([a], [b]) => a.localeCompare(b)),
  ].filter(([, count]) => count > 0);
  let top: [string, number] | undefined;
  for (const f of failures) if (!top || f[1] > top[1]) top = f;
  if (!top) return null;
  return { outcome: top[0], count: top[1], share: p.offered > 0 ? top[1] / p.offered : 0 };
}

/**
 * A group of runs' figures as one: success and goodput their means; latencies and attempts per request
 * their geometric means (what between-runs.ts judges on a log scale); offered the mean; the top failure
 * the first run's.
 */
export function groupFigures(members: readonly PhaseFigures[]): PhaseFigures {
  if (members.length === 1) return members[0]!;
  const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  const arithmetic = (pick: (f: PhaseFigures) => number | null): number | null => {
    const values = members.map(pick);
    return values.some((v) => v === null) ? null : mean(values as number[]);
  };
  const geometric = (pick: (f: PhaseFigures) => number | null): number | null => {
    const values = members.map(pick);
    if (values.some((v) => v === null)) return null;
    if (values.some((v) => v! <= 0)) return mean(values as number[]);
    return Math.exp(mean((values as number[]).map(Math.log)));
  };
  return {
    offered: mean(members.map((f) => f.offered)),
    success: arithmetic((f) => f.success),
    goodput: mean(members.map((f) => f.goodput)),
    p50: geometric((f) => f.p50),
    p99: geometric((f) => f.p99),
    allP50: geometric((f) => f.allP50),
    allP99: geometric((f) => f.allP99),
    amplification: geometric((f) => f.amplification),
    topFailure: members[0]!.topFailure,
  };
}
