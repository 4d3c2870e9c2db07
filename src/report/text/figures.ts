// How numbers read in the report: shares as percentages that never round a failure away, counts as
// plain integers, and "-" wherever there is nothing to show.

export const NONE = '-';

/** 0..1 as a percentage: 100%, 99.97%, 42.5%, <0.1%, 0%. 99.96% never shows as 100%. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return NONE;
  const p = ratio * 100;
  if (p === 0) return '0%';
  if (p === 100) return '100%';
  if (p > 0 && p < 0.1) return '<0.1%';
  if (p >= 99.9 && p < 100) return `${Math.min(99.99, Math.floor(p * 100) / 100)}%`;
  return `${Math.round(p * 10) / 10}%`;
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n)) : NONE;
}

/** A value shown when there is one, "-" when null/undefined/NaN. */
export function orNone<T>(value: T | null | undefined, format: (v: T) => string): string {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return NONE;
  return format(value);
}
