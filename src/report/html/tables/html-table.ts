// An HTML table from rows of cells, every text escaped. Cells may carry a class (how they read: num,
// good, bad, ...) and a data-field naming the figure they show, which the browser test reads back.
import { escapeHtml } from '../escape.js';

export interface Cell {
  text: string;
  /** Space-separated classes: "num" right-aligns a figure. */
  class?: string;
  /** data-field: which figure this is (offered, ok, p99, ...). */
  field?: string;
  /** A second, smaller line under the text (a difference from the baseline). */
  sub?: string;
  subClass?: string;
  /** A tooltip. */
  title?: string;
}

export interface Row {
  cells: (Cell | string)[];
  /** data-row: which phase, class or outcome the row is about. */
  key?: string;
  class?: string;
}

export interface Table {
  id: string;
  head: (Cell | string)[];
  rows: Row[];
}

export function renderTable(table: Table): string {
  const head = `<tr>${table.head.map((c) => cellHtml(c, 'th')).join('')}</tr>`;
  const rows = table.rows.map((r) => {
    const attrs = `${r.key !== undefined ? ` data-row="${escapeHtml(r.key)}"` : ''}${r.class ? ` class="${escapeHtml(r.class)}"` : ''}`;
    return `<tr${attrs}>${r.cells.map((c) => cellHtml(c, 'td')).join('')}</tr>`;
  });
  return `<div class="table-wrap"><table id="${escapeHtml(table.id)}"><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table></div>`;
}

function cellHtml(cell: Cell | string, tag: 'td' | 'th'): string {
  const c = typeof cell === 'string' ? { text: cell } : cell;
  const attrs = [
    c.class ? ` class="${escapeHtml(c.class)}"` : '',
    c.field ? ` data-field="${escapeHtml(c.field)}"` : '',
    c.title ? ` title="${escapeHtml(c.title)}"` : '',
  ].join('');
  const sub = c.sub !== undefined ? `<span class="sub${c.subClass ? ` ${escapeHtml(c.subClass)}` : ''}">${escapeHtml(c.sub)}</span>` : '';
  return `<${tag}${attrs}><span class="v">${escapeHtml(c.text)}</span>${sub}</${tag}>`;
}

/** A figure cell: right-aligned, with its field name. */
export function num(text: string, field?: string, extra?: Partial<Cell>): Cell {
  return {
    text,
    class: `num${extra?.class ? ` ${extra.class}` : ''}`,
    ...(field ? { field } : {}),
    ...(extra?.sub !== undefined ? { sub: extra.sub } : {}),
    ...(extra?.subClass ? { subClass: extra.subClass } : {}),
    ...(extra?.title ? { title: extra.title } : {}),
  };
}
