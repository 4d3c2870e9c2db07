// A compared figure as every renderer of a comparison writes it (the terminal's table, the HTML page's,
// the markdown summary's): 81.8%, 1.2/s, 162ms, 1.00; "-" when the run has none of it.
import { formatDuration, formatRate } from '../../core/units.js';
import { formatPercent, NONE } from '../text/figures.js';
import type { PhaseFigures } from './comparison.js';
import type { Metric } from './difference.js';

export function figureText(metric: Metric, f: PhaseFigures): string {
  switch (metric) {
    case 'success':
      return f.success === null ? NONE : formatPercent(f.success);
    case 'goodput':
      return formatRate(f.goodput);
    case 'amplification':
      return f.amplification === null ? NONE : f.amplification.toFixed(2);
    default: {
      const ms = f[metric];
      return ms === null ? NONE : formatDuration(ms);
    }
  }
}
