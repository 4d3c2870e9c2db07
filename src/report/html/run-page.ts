// A run as an HTML report, top to bottom: what ran, the verdict of its thresholds (with the rules that
// failed) and whether it was cut short, the charts on one time axis, the phase table, what the proxy added, the request mix, a merged run's segments, the latency distribution per
// phase, how requests ended, the faults and the thresholds. A string; only src/cli/ writes it.
import { formatDuration } from '../../core/units.js';
import type { RunResult } from '../../result/run-result.js';
import { expectedOf } from '../compare/comparison.js';
import { describeLoad, describeTime } from '../text/header.js';
import { renderSendLagWarning } from '../text/send-lag-warning.js';
import { createStyle } from '../text/style.js';
import { runCharts } from './data/run-charts.js';
import { chartFigure, htmlDocument, section, withData } from './document.js';
import { escapeHtml } from './escape.js';
import { renderFaultsTable } from './tables/faults-table.js';
import { renderProxyTable } from './tables/proxy-table.js';
import { faultsSummary } from '../fault-lines.js';
import { renderMixClassesTable } from './tables/mix-classes-table.js';
import { renderOutcomesTable } from './tables/outcomes-table.js';
import { renderMixTable, renderPhaseTable } from './tables/phase-table.js';
import { renderSegmentsTable } from './tables/segments-table.js';
import { renderThresholdsTable } from './tables/thresholds-table.js';
import { renderVerdict } from './verdict.js';

export function renderRunHtml(result: RunResult): string {
  const charts = withData(runCharts(result));
  const timeCharts = charts.filter((c) => c.kind === 'time');
  const distribution = charts.filter((c) => c.kind === 'percentile');
  const lag = renderSendLagWarning(result.phases, result.profile.speed, { color: false, width: 10_000 }, createStyle(false));
  const sections = [
    header(result),
    section(
      'timeline',
      'Over time',
      timeCharts.map(chartFigure).join('\n'),
      'Shaded bands are the phases; dashed vertical lines the faults, at the moment they were applied.',
    ),
    section(
      'phases',
      'Phases',
      `${renderPhaseTable(result.phases, result.total)}${lag ? `<p class="alert warn">${escapeHtml(lag)}</p>` : ''}`,
      'Latencies of successes, from the intended send; p99 all: of every completed request, failures included; send lag: how late the generator sent.',
    ),
    renderProxySection(result),
    result.total.mix
      ? section(
          'mix',
          'Request mix',
          `${result.profile.mix ? renderMixClassesTable(result.profile.mix) : ''}${renderMixTable(result.phases, result.total)}`,
          'Each class of request alone; latencies of successes, as above.',
        )
      : '',
    result.segments && result.segments.length > 0
      ? section(
          'segments',
          'Segments',
          renderSegmentsTable(result.segments, result.profile.speed),
          'Each generator of the merged run; start skew in wall time.',
        )
      : '',
    distribution.length > 0 ? section('distribution', 'Latency distribution', distribution.map(chartFigure).join('\n')) : '',
    section(
      'outcomes',
      'Outcomes',
      renderOutcomesTable(result.phases, result.total, expectedOf(result)),
      'The final outcome of each offered request, and its share of what the phase offered.',
    ),
    result.faults.length > 0 ? section('faults', 'Faults', renderFaultsTable(result), faultsSummary(result)?.text) : '',
    section(
      'thresholds',
      'Thresholds',
      renderThresholdsTable(result.thresholds),
      result.shard ? "This segment's slice: shown, not enforced; incident-load merge judges the run." : undefined,
    ),
  ];
  return htmlDocument({
    title: `${result.profile.name} · incident-load report`,
    body: sections.filter((s) => s !== '').join('\n'),
    data: { charts },
    toolVersion: result.tool.version,
  });
}

function header(result: RunResult): string {
  const { profile } = result;
  const facts: [string, string][] = [
    ['target', profile.target],
    ['load', describeLoad(result)],
    ['time', describeTime(result)],
    ['seed', `${profile.seed} · started ${result.startedAt}`],
  ];
  if (result.shard) facts.push(['segment', `${result.shard.index}/${result.shard.count} of run ${result.shard.run.slice(0, 12)}`]);
  if (result.segments) facts.push(['merged', `${result.segments.length} segments (see Segments)`]);
  const alerts: string[] = [];
  if (result.interrupted)
    alerts.push(`interrupted after ${formatDuration(result.total.durationMs)} of ${formatDuration(result.plannedMs)} of incident time — partial results`);
  if (result.failure) alerts.push(`${result.failure.message} at ${formatDuration(result.failure.atMs)} of incident time — partial results`);
  return `<header><h1>${escapeHtml(profile.name)}</h1><div class="lead">${escapeHtml(`${result.tool.name} ${result.tool.version} · run report`)}</div>
${renderVerdict(result)}
<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
${alerts.map((a) => `<p class="alert">${escapeHtml(a)}</p>`).join('\n')}</header>`;
}

/** What the proxy added per phase (through --via-proxy, or --control naming a proxy); empty otherwise. */
function renderProxySection(result: RunResult): string {
  const table = renderProxyTable(result);
  const where = result.profile.proxy ? ` at ${result.profile.proxy}` : '';
  const note = `Latency the proxy${where} added on purpose (add-latency, waits at cap-connections, bandwidth), mean per request reaching it; the latencies above include it.`;
  return table === '' ? '' : section('proxy', 'Proxy', table, note);
}
