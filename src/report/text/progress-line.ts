// The live line while a run goes: how far through the incident, which phase, and how it is going.
// Pieces are dropped from the least telling end until the line fits the terminal; no trailing newline
// (the CLI redraws it in place on a TTY).
import { formatDuration } from '../../profile/units.js';
import type { RunProgress } from '../../run/load-run.js';
import { formatPercent } from './figures.js';
import { createStyle, truncate, visibleWidth, type RenderOptions } from './style.js';

export function renderProgress(progress: RunProgress, options: RenderOptions): string {
  const style = createStyle(options.color);
  const finished = progress.ok + progress.failed + progress.dropped;
  const okRatio = finished > 0 ? progress.ok / finished : undefined;
  const okText = okRatio === undefined ? 'ok -' : `ok ${formatPercent(okRatio)}`;
  const okPaint = okRatio === undefined ? style.dim : okRatio >= 0.99 ? style.good : okRatio >= 0.9 ? style.warn : style.bad;
  const p99 = progress.window?.p99;

  // In order of importance; the last ones go first when the line is too long.
  const pieces: string[] = [
    `${formatDuration(progress.incidentMs)}/${formatDuration(progress.totalMs)}`,
    progress.draining ? style.warn('draining') : style.strong(progress.phase),
    okPaint(okText),
    `offered ${progress.offered}`,
    progress.failed > 0 ? style.bad(`failed ${progress.failed}`) : `failed 0`,
    progress.dropped > 0 ? style.warn(`dropped ${progress.dropped}`) : `dropped 0`,
    `in-flight ${progress.inFlight}`,
    `p99 ${p99 === null || p99 === undefined ? '-' : formatDuration(p99)}`,
  ];
  if (progress.draining) pieces.splice(2, 0, progress.phase);
  while (pieces.length > 1 && visibleWidth(pieces.join('  ')) > options.width) pieces.pop();
  const line = pieces.join('  ');
  return visibleWidth(line) > options.width ? truncate(pieces[0]!, options.width) : line;
}
