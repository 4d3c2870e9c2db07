// Markdown: tables, and the figures that go in them. Every repeated measurement is shown as its median
// and, in brackets, the range over the rounds ("41,200 (40,100–42,000)"), so a reader sees the spread.

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function range(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return undefined;
  return [Math.min(...v), Math.max(...v)];
}

/** "median (min–max)" with `format` applied to each; only the median when there is one value. */
export function spread(values, format) {
  const m = median(values);
  if (m === undefined) return '—';
  const r = range(values);
  if (values.length < 2 || r[0] === r[1]) return format(m);
  return `${format(m)} (${format(r[0])}–${format(r[1])})`;
}

export const fmt = {
  int: (n) => (n === undefined ? '—' : Math.round(n).toLocaleString('en-US')),
  ms: (n) => (n === undefined ? '—' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(2) : n.toFixed(3)),
  ratio: (n) => (n === undefined ? '—' : n.toFixed(3)),
  pct: (n) => (n === undefined ? '—' : `${n >= 0 || Math.abs(n) < 5e-5 ? '+' : '-'}${Math.abs(n * 100).toFixed(2)} %`),
  mb: (kb) => (kb === undefined ? '—' : `${(kb / 1024).toFixed(1)} MB`),
};

/** A markdown table; `align` is a string of l/r per column (default: first left, the rest right). */
export function markdownTable(headers, rows, align) {
  const a = align ?? 'l' + 'r'.repeat(headers.length - 1);
  const cells = [headers, ...rows].map((row) => row.map((c) => String(c ?? '—').replace(/\|/g, '\\|')));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((c, i) => (a[i] === 'r' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (a[i] === 'r' ? '-'.repeat(w - 1) + ':' : '-'.repeat(w))).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

export function verdict(holds) {
  if (holds === undefined) return 'n/a';
  return holds ? 'yes' : '**no**';
}
