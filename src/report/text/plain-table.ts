// cli-table3 drawn the way the report wants: no box, two spaces between columns, a rule under the
// heading and above chosen rows (the total), lines trimmed on the right so width is what it seems.
import Table from 'cli-table3';
import { visibleWidth } from './style.js';

// prettier-ignore
const NO_BORDER = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '',
  middle: '  ',
};
// A row whose cells carry these chars draws a rule above itself.
const RULE_ABOVE = { mid: '─', 'mid-mid': '──', 'left-mid': '', 'right-mid': '' };

export interface PlainTable {
  head: string[];
  align: ('left' | 'right')[];
  rows: string[][];
  /** Indexes of rows that get a rule above them; the first row always does (it underlines the heading). */
  ruleAbove?: number[];
}

export function drawTable(t: PlainTable): string {
  const table = new Table({
    head: t.head,
    chars: NO_BORDER,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: t.align,
  });
  const rules = new Set([0, ...(t.ruleAbove ?? [])]);
  t.rows.forEach((cells, i) => table.push(rules.has(i) ? cells.map((content) => ({ content, chars: RULE_ABOVE })) : cells));
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

export function widest(text: string): number {
  return Math.max(0, ...text.split('\n').map(visibleWidth));
}
