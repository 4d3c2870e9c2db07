// `compare --fail-on <rule>`: a regression gate that does not flap. A rule names a figure and how far it
// may move the worse way — "p99 +10%", "success -1pp", "goodput -5%", optionally for one phase
// ("checkout: p99 +10%") or the whole run ("total: success -1pp") — and is broken only by a later run
// whose difference from the first is both beyond that margin in the worse direction and judged real, at
// the gate's stricter level (99%, significance.ts's GATE_CONFIDENCE) as well as the table's. Pure: rules parsed from
// text, judged against a comparison; the CLI turns a broken rule into exit 1.
import type { Comparison } from './comparison.js';
import { formatDifference, type Difference, type Metric } from './difference.js';

export interface FailOnRule {
  /** As written. */
  text: string;
  /** Undefined: every phase and the total; "total": the total alone. */
  phase?: string;
  metric: Metric;
  /** Success: percentage points (negative, a fall). Others: a fraction of the first run's value, signed the worse way (+0.1 for p99 +10%). */
  margin: number;
}

export class FailOnError extends Error {}

const WORSE_UP: Partial<Record<Metric, boolean>> = { success: false, goodput: false, p50: true, p99: true, amplification: true };
const NAMES: Record<string, Metric> = {
  success: 'success',
  goodput: 'goodput',
  p50: 'p50',
  p99: 'p99',
  amplification: 'amplification',
  attempts: 'amplification',
};
const EXPECTED =
  'a rule such as "p99 +10%", "success -1pp", "goodput -5%", "checkout: p50 +20%" or "total: success -1pp" (metric: success, goodput, p50, p99 or attempts)';

export function parseFailOn(input: string): FailOnRule {
  const text = input.trim();
  const fail = (what: string): never => {
    throw new FailOnError(`${JSON.stringify(text)}: ${what}`);
  };
  const m = /^(?:([A-Za-z0-9][\w.-]*)\s*:\s*)?([A-Za-z][A-Za-z0-9]*)\s*([+-])\s*(\d+(?:\.\d+)?)\s*(%|pp)$/.exec(text);
  if (!m) return fail(`expected ${EXPECTED}`);
  const [, phase, name, sign, amount, unit] = m as unknown as [string, string | undefined, string, '+' | '-', string, '%' | 'pp'];
  const metric = NAMES[name.toLowerCase()];
  if (metric === undefined) return fail(`unknown metric ${JSON.stringify(name)}: expected success, goodput, p50, p99 or attempts`);
  const worseUp = WORSE_UP[metric]!;
  if ((sign === '+') !== worseUp) {
    return fail(`${name} gets worse as it ${worseUp ? 'rises' : 'falls'}: expected ${worseUp ? '+' : '-'}${amount}${unit}`);
  }
  if (metric === 'success' && unit !== 'pp') return fail('success moves in percentage points: expected, e.g., "success -1pp"');
  if (metric !== 'success' && unit !== '%') return fail(`${name} moves as a ratio: expected a percentage, e.g., "${name} ${sign}10%"`);
  const value = Number(amount);
  if (metric !== 'success' && sign === '-' && value >= 100) return fail(`a fall of ${amount}% or more is not possible: expected less than 100%`);
  return { text, ...(phase !== undefined ? { phase } : {}), metric, margin: (sign === '-' ? -1 : 1) * (metric === 'success' ? value : value / 100) };
}

/** The name that makes a rule about the whole run ("total: success -1pp"), as the table's total row. */
export const TOTAL = 'total';

/** A rule naming a phase that none of the runs has: `phaseNames` are every run's, before anything runs. */
export function checkFailOnPhases(rules: readonly FailOnRule[], phaseNames: readonly string[]): void {
  for (const rule of rules) {
    if (rule.phase !== undefined && rule.phase !== TOTAL && !phaseNames.includes(rule.phase)) {
      throw new FailOnError(
        `${JSON.stringify(rule.text)}: no phase "${rule.phase}" in the runs (phases: ${phaseNames.join(', ') || 'none'}; "${TOTAL}:" for the whole run)`,
      );
    }
  }
}

/** One rule judged on one phase (or the total) of one later run. */
export interface FailOnCheck {
  rule: string;
  phase: string;
  /** The later run's label. */
  run: string;
  /** Undefined: the run or the first one has no such figure there (nothing to judge: not broken). */
  difference?: Difference;
  beyond: boolean;
  real: boolean;
  broken: boolean;
  /** Beyond the margin but not judged: one run a side cannot judge the figure (needs repeats), or too little to judge. */
  unjudged: boolean;
  /** One line: what moved, by how much, against the margin, and the verdict. */
  message: string;
}

export function judgeFailOn(comparison: Comparison, rules: readonly FailOnRule[]): FailOnCheck[] {
  const checks: FailOnCheck[] = [];
  for (const rule of rules) {
    for (const row of comparison.rows) {
      if (row.class !== undefined) continue;
      if (rule.phase === TOTAL ? !row.total : rule.phase !== undefined ? row.phase !== rule.phase || row.total : false) continue;
      for (const cell of row.cells) {
        if (cell.run === comparison.baseline || !cell.figures) continue;
        checks.push(check(rule, row.phase, cell.run, cell.differences[rule.metric], comparison.baseline));
      }
    }
  }
  return checks;
}

function check(rule: FailOnRule, phase: string, run: string, d: Difference | undefined, baseline: string): FailOnCheck {
  const margin = rule.metric === 'success' ? `${rule.margin}pp` : `${rule.margin > 0 ? '+' : ''}${Math.round(rule.margin * 1000) / 10}%`;
  if (!d)
    return {
      rule: rule.text,
      phase,
      run,
      beyond: false,
      real: false,
      broken: false,
      unjudged: false,
      message: `${run} ${phase}: no ${rule.metric} to compare with ${baseline}`,
    };
  const moved = rule.metric === 'success' ? (d.value ?? 0) : d.value === null ? Infinity : d.value - 1;
  const beyond = rule.margin < 0 ? moved < rule.margin : moved > rule.margin;
  const verdict = d.significance?.verdict ?? 'insufficient';
  const real = verdict === 'real';
  // Real at the gate's stricter level too (a comparison saved before it existed: at the table's).
  const gate = d.significance?.gate;
  const none = rule.metric === 'success' ? 0 : 1;
  const sure = real && (gate === undefined || (rule.margin < 0 ? gate.interval[1] < none : gate.interval[0] > none));
  const broken = beyond && sure;
  const judged =
    verdict === 'real'
      ? sure
        ? 'a real difference'
        : `a real difference at ${Math.round((d.significance?.confidence ?? 0.95) * 100)}% but not at the gate's ${Math.round((gate?.confidence ?? 0.99) * 100)}%`
      : verdict === 'noise'
        ? "within the runs' noise"
        : verdict === 'needs-repeats'
          ? `one run a side cannot judge ${rule.metric} (compare --repeat 3 can)`
          : 'too little to judge';
  const unjudged = beyond && (verdict === 'needs-repeats' || verdict === 'insufficient');
  const message = `${run} ${phase}: ${rule.metric} ${formatDifference({ ...d, significance: undefined }).replace(/ [▲▼]$/, '')} against ${baseline} (margin ${margin}), ${judged}${broken ? ': broken' : beyond ? ': beyond the margin but not judged real, so not broken' : ''}`;
  return { rule: rule.text, phase, run, difference: d, beyond, real, broken, unjudged, message };
}
