// The live line while a run goes: how far through the incident, which phase, and how it is going.
// Pieces are dropped from the least telling end until the line fits the terminal; no trailing newline
// (the CLI redraws it in place on a TTY). The p99 is the last closed timeline window's, so it moves with
// the load from one window to the next where the report's is the phase's, and it counts failures (the
// timeline records every completion) where the report's is of successes: the label says both.
import { formatDuration } from '../../core/units.js';
import type { RunProgress } from '../../result/progress.js';
import type { TimelineWindow } from '../../result/run-result.js';
import { formatPercent } from './figures.js';
import { createStyle, truncate, visibleWidth, type RenderOptions } from './style.js';

export function renderProgress(progress: RunProgress, options: RenderOptions): string {
  const style = createStyle(options.color);
  const finished = progress.ok + progress.failed + progress.dropped;
  const okRatio = finished > 0 ? progress.ok / finished : undefined;
  const okText = okRatio === undefined ? 'ok -' : `ok ${formatPercent(okRatio)}`;
  const okPaint = okRatio === undefined ? style.dim : okRatio >= 0.99 ? style.good : okRatio >= 0.9 ? style.warn : style.bad;
  const window = progress.window;

  // In order of importance; the last ones go first when the line is too long.
  const pieces: string[] = [
    `${formatDuration(progress.incidentMs)}/${formatDuration(progress.totalMs)}`,
    progress.draining ? style.warn('draining') : style.strong(progress.phase),
    okPaint(okText),
    `offered ${progress.offered}`,
    progress.failed > 0 ? style.bad(`failed ${progress.failed}`) : `failed 0`,
    progress.dropped > 0 ? style.warn(`dropped ${progress.dropped}`) : `dropped 0`,
    `in-flight ${progress.inFlight}`,
    p99Text(window, false),
  ];
  if (progress.draining) pieces.splice(2, 0, progress.phase);
  // Before the p99 goes, its label is shortened: the number means little without it.
  if (visibleWidth(pieces.join('  ')) > options.width) pieces[pieces.length - 1] = p99Text(window, true);
  while (pieces.length > 1 && visibleWidth(pieces.join('  ')) > options.width) pieces.pop();
  const line = pieces.join('  ');
  return visibleWidth(line) > options.width ? truncate(pieces[0]!, options.width) : line;
}

/** "p99 15.4s (all outcomes, last 10s)", short "p99 15.4s (all, 10s)"; "p99 -" before the first window closes. */
function p99Text(window: TimelineWindow | undefined, short: boolean): string {
  if (window === undefined) return 'p99 -';
  const value = window.p99 === null ? '-' : formatDuration(window.p99);
  return `p99 ${value} (${short ? 'all,' : 'all outcomes, last'} ${formatDuration(window.durationMs)})`;
}
