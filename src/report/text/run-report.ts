// The terminal report of a run, top to bottom: what ran, the per-phase table (and under it a warning if
// the generator fell behind), what the proxy added (through --via-proxy), latency histograms, how requests ended, the timeline, the faults (applied by whom, or why not), and the thresholds.
// A string; only src/cli/ prints it.
import type { RunResult } from '../../result/run-result.js';
import { renderFaults } from './faults.js';
import { renderHeader } from './header.js';
import { renderLatencyBars } from './latency-bars.js';
import { renderOutcomes } from './outcomes.js';
import { expectedOf } from '../compare/comparison.js';
import { renderMixTable, renderPhaseTable } from './phase-table.js';
import { renderProxyAdded } from './proxy-added.js';
import { renderSegments } from './segments.js';
import { renderSendLagWarning } from './send-lag-warning.js';
import { createStyle, DEFAULT_WIDTH, type RenderOptions } from './style.js';
import { renderThresholdLines } from './threshold-lines.js';
import { renderTimeline } from './timeline-chart.js';

export type { RenderOptions } from './style.js';

export function renderRunReport(result: RunResult, options: RenderOptions = { color: false, width: DEFAULT_WIDTH }): string {
  const style = createStyle(options.color);
  const lagWarning = renderSendLagWarning(result.phases, result.profile.speed, options, style);
  const phaseTable = renderPhaseTable(result.phases, result.total, options, style);
  const sections = [
    renderHeader(result, options, style),
    lagWarning === '' ? phaseTable : `${phaseTable}\n${lagWarning}`,
    renderMixTable(result.phases, result.total, options, style),
    renderProxyAdded(result, options, style),
    renderSegments(result.segments, result.profile.speed, options, style),
    renderLatencyBars(result.phases, options, style),
    renderOutcomes(result.phases, result.total, options, style, expectedOf(result)),
    renderTimeline(result.timeline, result.phases, result.faults, options, style),
    renderFaults(result, options, style),
    renderThresholdLines(
      result.thresholds,
      options,
      style,
      result.shard ? "(this segment's slice: shown, not enforced; incident-load merge judges the run)" : undefined,
    ),
  ];
  return sections.filter((s) => s !== '').join('\n\n');
}
