// One line per threshold: held or not, the expression as written, and what was measured, in the
// threshold's own unit (a latency as 250ms, a ratio as 97.5%, a rate as 12.5/s). "no data" when there
// was nothing to measure: such a threshold has failed, and the line says why.
import { formatDuration, formatRate } from '../../core/units.js';
import type { ThresholdResult } from '../../result/run-result.js';
import { parseThreshold, type ThresholdUnit } from '../../threshold/parse.js';
import { formatPercent } from './figures.js';
import { truncate, type RenderOptions, type Style } from './style.js';

/** `note`: said after the summary (a segment's thresholds are shown, not enforced). */
export function renderThresholdLines(thresholds: readonly ThresholdResult[], options: RenderOptions, style: Style, note?: string): string {
  if (thresholds.length === 0) return '';
  const held = thresholds.filter((t) => t.ok).length;
  const verdict = held === thresholds.length ? style.good(`all ${held} held`) : style.bad(`${thresholds.length - held} of ${thresholds.length} failed`);
  const summary = note ? `${verdict} ${style.dim(note)}` : verdict;
  const exprWidth = Math.max(...thresholds.map((t) => t.expr.length));
  const lines = thresholds.map((t) => {
    const mark = style.color ? (t.ok ? '✓' : '✗') : t.ok ? 'ok  ' : 'FAIL';
    const text = truncate(`${t.expr.padEnd(exprWidth)}  actual ${formatActual(t)}`, options.width - mark.length - 1);
    return `${(t.ok ? style.good : style.bad)(mark)} ${text}`;
  });
  return [`${style.heading('thresholds')} ${summary}`, ...lines].join('\n');
}

/** The measured value in the unit its expression speaks; the raw number if the expression no longer parses. */
export function formatActual(t: ThresholdResult): string {
  if (Number.isNaN(t.actual)) return 'no data';
  let unit: ThresholdUnit;
  try {
    unit = parseThreshold(t.expr).unit;
  } catch {
    return String(t.actual);
  }
  switch (unit) {
    case 'ms':
      return formatDuration(t.actual);
    case 'ratio':
      return formatPercent(t.actual);
    case 'per-second':
      return formatRate(t.actual);
    case 'count':
      return String(t.actual);
  }
}
