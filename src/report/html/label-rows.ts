// Where the charts write their fault labels: each beside its marker's line, to the right of it unless it
// would run past the plot (then to the left), in the first row down where it overlaps no label already
// placed. Faults at the same instant, or close together, stack in rows instead of printing over each
// other, however many there are. Pure, and embedded in the page as its source text (client.ts), so it
// must stand alone: nothing from outside its body.

/** A label to place: its marker's x and its text's width, in canvas pixels. */
export interface LabelToPlace {
  x: number;
  width: number;
}

/** Where it goes: its row (0 is the top one), which side of the marker, and the span it covers. */
export interface PlacedLabel {
  row: number;
  align: 'left' | 'right';
  from: number;
  to: number;
}

/** `right` is the plot's right edge; `pad` the gap between a line and its label, and between two labels. */
export function labelRows(labels: readonly LabelToPlace[], right: number, pad: number): PlacedLabel[] {
  const order = labels.map((_, i) => i).sort((a, b) => labels[a]!.x - labels[b]!.x || a - b);
  const rows: { from: number; to: number }[][] = [];
  const placed: PlacedLabel[] = new Array<PlacedLabel>(labels.length);
  for (const i of order) {
    const { x, width } = labels[i]!;
    const align = x + pad + width > right ? 'right' : 'left';
    const from = align === 'left' ? x + pad : x - pad - width;
    const to = from + width;
    let row = rows.findIndex((spans) => spans.every((s) => to + pad <= s.from || from >= s.to + pad));
    if (row < 0) row = rows.push([]) - 1;
    rows[row]!.push({ from, to });
    placed[i] = { row, align, from, to };
  }
  return placed;
}
