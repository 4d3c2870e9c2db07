// The verdict at the top of a run's page, in the words of the markdown summary: BROKEN, INTERRUPTED,
// DONE (no thresholds), PASS or FAIL on a badge, how many thresholds held, and each rule that failed
// with what was measured, so the page answers "did it pass, and if not why" before any chart. A
// segment's thresholds are shown, not enforced (merge judges the run), and the verdict says so.
import type { RunResult } from '../../result/run-result.js';
import { describeFailure } from '../text/header.js';
import { formatActual } from '../text/threshold-lines.js';
import { escapeHtml } from './escape.js';
import { thresholdsSummary } from './tables/thresholds-table.js';

type Outcome = 'broken' | 'interrupted' | 'done' | 'pass' | 'fail';

export function renderVerdict(result: RunResult): string {
  const { thresholds } = result;
  const failed = thresholds.filter((t) => !t.ok);
  const outcome: Outcome =
    describeFailure(result) !== undefined
      ? 'broken'
      : result.interrupted
        ? 'interrupted'
        : thresholds.length === 0
          ? 'done'
          : failed.length === 0
            ? 'pass'
            : 'fail';
  const judged =
    thresholds.length === 0
      ? 'no thresholds to judge (a run without thresholds exits 0 whatever happened)'
      : `thresholds: ${thresholdsSummary(thresholds)}${result.shard ? " on this segment's slice (not enforced: merge judges the run)" : ''}`;
  const rules = failed.map(
    (t) => `<li data-row="${escapeHtml(t.expr)}"><code>${escapeHtml(t.expr)}</code> <span class="actual">actual ${escapeHtml(formatActual(t))}</span></li>`,
  );
  return `<section class="verdict ${outcome}" id="verdict" aria-label="verdict">
<p class="verdict-line"><span class="verdict-mark">${outcome.toUpperCase()}</span>${escapeHtml(judged)}</p>${
    rules.length > 0 ? `\n<ul class="verdict-failed">${rules.join('')}</ul>` : ''
  }
</section>`;
}
