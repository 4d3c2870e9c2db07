// The report's opening lines: what ran against what, how (load model, arrivals, time compression) and
// with which seed — enough to reproduce the run — and, first of all, whether it was cut short: by an
// interrupt, or because the bundled mock broke.
import { formatDuration } from '../../core/units.js';
import type { RunResult } from '../../result/run-result.js';
import { faultsSummary } from '../fault-lines.js';
import { truncate, type RenderOptions, type Style } from './style.js';

export function renderHeader(result: RunResult, options: RenderOptions, style: Style): string {
  const { profile } = result;
  const incidentMs = result.total.durationMs;
  const lines = [
    `${style.strong(truncate(`${result.tool.name} ${result.tool.version} · ${profile.name}`, options.width))}`,
    field('target', profile.proxy ? `${profile.target} through the proxy at ${profile.proxy} (--via-proxy)` : profile.target, options),
    field('load', describeLoad(result), options),
    field('time', describeTime(result), options),
    field('seed', `${profile.seed} · started ${result.startedAt}`, options),
  ];
  const ready = describeReadiness(result);
  if (ready) lines.push(field('ready', ready, options));
  if (result.shard) {
    const { index, count, run, startSkewMs } = result.shard;
    lines.push(
      field(
        'segment',
        `${index}/${count} of run ${run.slice(0, 12)} (merge the ${count} results with incident-load merge) · started ${formatDuration(startSkewMs)} late`,
        options,
      ),
    );
  }
  if (result.segments) lines.push(field('merged', `${result.segments.length} segments (see "segments" below)`, options));
  if (result.interrupted) {
    lines.push(
      style.bad(
        style.strong(
          truncate(`interrupted after ${formatDuration(incidentMs)} of ${formatDuration(result.plannedMs)} of incident time — partial results`, options.width),
        ),
      ),
    );
  }
  const failure = failureParts(result);
  if (failure) {
    lines.push(style.bad(style.strong(truncate(failure.what, options.width))));
    lines.push(
      style.bad(
        truncate(
          `the run stopped after ${formatDuration(incidentMs)} of ${formatDuration(result.plannedMs)} of incident time — partial results`,
          options.width,
        ),
      ),
    );
  }
  if ((result.interrupted || failure) && result.total.unfinished > 0) {
    lines.push(style.warn(truncate(`${result.total.unfinished} requests still in flight: counted as unfinished`, options.width)));
  }
  const faults = faultsSummary(result);
  if (faults) {
    const text = field('faults', faults.text, options);
    lines.push(faults.skipped || faults.notApplied > 0 ? style.warn(text) : text);
  }
  return lines.join('\n');
}

/**
 * "25s of incident time in 25.3s wall (speed 1×)", or for a virtual run "3h30m of incident time, simulated
 * in 0.9s (virtual time, round trip 200µs)": how the run's time was kept.
 */
export function describeTime(result: RunResult): string {
  const { profile } = result;
  const incident = formatDuration(result.total.durationMs);
  if (profile.clock === 'virtual') {
    const rtt = profile.rttMs !== undefined ? `, round trip ${formatDuration(profile.rttMs)}` : '';
    return `${incident} of incident time, simulated in ${formatDuration(result.wallMs)} (virtual time${rtt})`;
  }
  return `${incident} of incident time in ${formatDuration(result.wallMs)} wall (speed ${formatSpeed(profile.speed)})`;
}

/**
 * "the bundled mock exited (SIGKILL) at 2.1s of incident time; the run stopped there", or undefined when
 * nothing broke. The CLI says it on stderr too.
 */
export function describeFailure(result: RunResult): string | undefined {
  const parts = failureParts(result);
  return parts && `${parts.what}; ${parts.stopped}`;
}

function failureParts(result: RunResult): { what: string; stopped: string } | undefined {
  const { failure } = result;
  if (!failure) return undefined;
  const at = formatDuration(failure.atMs);
  const stopped = formatDuration(result.total.durationMs);
  return { what: `${failure.message} at ${at} of incident time`, stopped: `the run stopped ${stopped === at ? 'there' : `at ${stopped}`}` };
}

/**
 * "warm-up of 1,586 requests (in-process sink, 370ms) · 21 connections pre-opened (0.5ms each)": what the generator did before its first arrival so that it kept the schedule from there.
 */
export function describeReadiness(result: RunResult): string | undefined {
  const r = result.readiness;
  // A virtual run has no generator to warm up and no connection to open: nothing could be late.
  if (!r || result.profile.clock === 'virtual') return undefined;
  const warm =
    r.warmUpRequests > 0
      ? `warm-up of ${r.warmUpRequests.toLocaleString('en-US')} requests (in-process sink, ${formatDuration(r.warmUpWallMs)})`
      : 'no warm-up';
  const each = r.connectWallMs !== undefined ? ` (${formatDuration(r.connectWallMs)} each)` : '';
  const opened = r.preconnected > 0 ? `${r.preconnected} connection${r.preconnected === 1 ? '' : 's'} pre-opened${each}` : 'no connection pre-opened';
  return `${warm} · ${opened}`;
}

function field(label: string, value: string, options: RenderOptions): string {
  return truncate(`${label.padEnd(7)} ${value}`, options.width);
}

/** "open model, poisson arrivals", "closed model", or both when phases differ. */
export function describeLoad(result: RunResult): string {
  const models = new Set(result.phases.map((p) => p.model));
  const open = models.has('open') ? `open model, ${result.profile.arrivals} arrivals` : undefined;
  const closedPhases = result.phases.filter((p) => p.model === 'closed').map((p) => p.name);
  const closed = closedPhases.length > 0 ? `closed model (${closedPhases.join(', ')})` : undefined;
  const parts = [open, closed].filter((p): p is string => p !== undefined);
  const phases = `${result.phases.length} phase${result.phases.length === 1 ? '' : 's'}`;
  return parts.length > 0 ? `${parts.join(' + ')} · ${phases}` : phases;
}

function formatSpeed(speed: number): string {
  return `${Number.isInteger(speed) ? speed : Math.round(speed * 100) / 100}×`;
}
