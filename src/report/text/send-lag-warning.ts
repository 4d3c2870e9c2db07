// A warning under the phase table when the load generator itself fell behind its schedule. Latency is
// measured from the intended send, so it stays honest; but arrivals that went out late went out
// bunched, so the target was not offered the load the schedule describes — and a reader of the table
// alone would take the numbers for the target's.
import { formatDuration } from '../../core/units.js';
import type { PhaseResult } from '../../result/run-result.js';
import { wrapText, type RenderOptions, type Style } from './style.js';

/**
 * Send lag p99 above this much wall time means the generator fell behind. A healthy one sends 99% of
 * arrivals within 0.17–0.34 ms at 2,000–10,000 req/s (bench/results.md), and within about 1 ms at
 * 2,000 req/s on a loaded 2-core box; 10 ms is some 30 times the first and 10 times the second, so
 * scheduling jitter stays under it and a starved event loop (more req/s than one process sends, or two
 * cores shared with other busy processes: 20 ms at 140 req/s, measured) goes over it. It is also where
 * lateness starts to change the load: at a few hundred req/s, 10 ms late is several arrivals sent
 * together that the schedule spaced out.
 */
export const SEND_LAG_LIMIT_WALL_MS = 10;

/**
 * Whether an open-model phase's generator fell behind in a way that changed the load: its send lag p99
 * is over SEND_LAG_LIMIT_WALL_MS (× speed) and over the mean gap between its arrivals. Lateness shorter
 * than the gap to the next arrival sends no two arrivals together that the schedule spaced apart: at
 * 50 req/s (20 ms apart) a 13 ms blip offers the target the same load; at 5,000 req/s it sends 65 at once.
 */
export function fellBehind(phase: PhaseResult, speed: number): boolean {
  if (phase.model !== 'open' || !phase.sendLagMs || phase.offered === 0) return false;
  const meanGapMs = phase.durationMs / phase.offered;
  return phase.sendLagMs.p99 > Math.max(SEND_LAG_LIMIT_WALL_MS * speed, meanGapMs);
}

/** Empty unless an open-model phase's send lag p99 is over the limit; `speed` is the result's profile.speed. */
export function renderSendLagWarning(phases: readonly PhaseResult[], speed: number, options: RenderOptions, style: Style): string {
  // Lag is recorded in incident time (wall × speed) like every duration in the result, so the limit scales too.
  const limitMs = SEND_LAG_LIMIT_WALL_MS * speed;
  const behind = phases.filter((p) => fellBehind(p, speed));
  if (behind.length === 0) return '';
  const where = behind.map((p) => `${formatDuration(p.sendLagMs!.p99)} in ${p.name}`).join(', ');
  const times = Number.isInteger(speed) ? String(speed) : String(Math.round(speed * 100) / 100);
  const limit = `${formatDuration(SEND_LAG_LIMIT_WALL_MS)} × speed ${times}${speed === 1 ? '' : ` = ${formatDuration(limitMs)}`}, and the gap between arrivals`;
  const text =
    `generator fell behind: send lag p99 was ${where} (limit ${limit}): arrivals went out late, so the offered ` +
    'load was not the schedule; run fewer req/s per process, or more processes, on cores nothing else is using';
  return wrapText(text, options.width)
    .map((line) => style.warn(line))
    .join('\n');
}
