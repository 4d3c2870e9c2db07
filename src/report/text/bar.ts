// Block characters for the report's charts: horizontal bars in eighths of a column (latency
// histograms) and one-column vertical levels (the timeline).

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
export const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A bar `width` columns wide at full scale; any count above zero shows at least an eighth. */
export function horizontalBar(value: number, max: number, width: number): string {
  if (!(value > 0) || !(max > 0) || width <= 0) return '';
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * width * 8));
  const full = Math.floor(eighths / 8);
  return '█'.repeat(full) + EIGHTHS[eighths % 8]!;
}

/**
 * The level 0..8 of a value on a 0..max scale. Zero is 0 (drawn as ZERO); any value above zero is at
 * least 1, so a sliver still shows; only the maximum itself is a full 8, so a 99% success ratio never
 * looks like 100%.
 */
export function level(value: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return 0;
  if (value >= max) return 8;
  return Math.min(7, Math.max(1, Math.ceil((value / max) * 8)));
}

/** A measured zero: on the baseline, unlike "no data" (a dot) and unlike a small value (▁). */
export const ZERO = '_';

export function levelChar(lvl: number): string {
  return lvl <= 0 ? ZERO : LEVELS[Math.min(8, lvl) - 1]!;
}
