// The request mix as the profile defines it: each class's share and what it changes in the request.
import type { RequestClass } from '../../../core/request.js';
import { formatPercent } from '../../text/figures.js';
import { renderTable } from './html-table.js';

export function renderMixClassesTable(mix: readonly RequestClass[]): string {
  return renderTable({
    id: 'mix-classes-table',
    head: ['class', { text: 'share', class: 'num' }, 'method', 'path', 'headers'],
    rows: mix.map((c) => ({
      key: c.name,
      cells: [
        { text: c.name, class: 'name' },
        { text: formatPercent(c.share), class: 'num', field: 'share' },
        c.method ?? '',
        { text: c.path ?? '', class: 'code' },
        {
          text: Object.entries(c.headers ?? {})
            .map(([k, v]) => `${k}: ${v}`)
            .join('; '),
          class: 'code',
        },
      ],
    })),
  });
}
