// The run's faults, one entry each: when, which with what, and whether it was applied and by whom (the
// bundled mock, the proxy, a mock or proxy at --control), or why not — wrapped, never cut, so that a fault
// that did not happen cannot hide past the edge of the terminal. Empty without faults.
import type { RunResult } from '../../result/run-result.js';
import { faultAt, faultStatus, faultsSummary, faultText } from '../fault-lines.js';
import { sectionTitle, wrapText, type RenderOptions, type Style } from './style.js';

export function renderFaults(result: RunResult, options: RenderOptions, style: Style): string {
  const summary = faultsSummary(result);
  if (!summary) return '';
  const atWidth = Math.max(...result.faults.map((f) => faultAt(f).length));
  const indent = ' '.repeat(atWidth + 4);
  const lines = result.faults.flatMap((f) => {
    const status = faultStatus(f, summary.applier);
    const paint = f.error === undefined ? style.good : style.bad;
    const wrapped = wrapText(`${faultText(f)} — ${status}`, Math.max(20, options.width - indent.length));
    return wrapped.map((l, i) => (i === 0 ? `  ${faultAt(f).padStart(atWidth)}  ${paint(l)}` : `${indent}${paint(l)}`));
  });
  return [sectionTitle('faults', `(${summary.text})`, options.width, style), ...lines].join('\n');
}
