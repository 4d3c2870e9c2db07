// The fault labels' layout (src/report/html/label-rows.ts, which the page's script runs): labels at the
// same instant, or close together, go to different rows; apart they share the top one; none runs past
// the plot's right edge; and no two labels in one row overlap, whatever the markers.
import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/core/random.js';
import { labelRows, type LabelToPlace, type PlacedLabel } from '../../../src/report/html/label-rows.js';

const RIGHT = 1000;
const PAD = 3;

function overlapsInARow(placed: readonly PlacedLabel[]): [number, number][] {
  const found: [number, number][] = [];
  for (let i = 0; i < placed.length; i++)
    for (let j = i + 1; j < placed.length; j++) {
      const a = placed[i]!;
      const b = placed[j]!;
      if (a.row === b.row && a.from < b.to + PAD && b.from < a.to + PAD) found.push([i, j]);
    }
  return found;
}

describe('labelRows', () => {
  it('stacks labels at the same instant, one row each, all on the same side of the line', () => {
    const placed = labelRows(
      [
        { x: 200, width: 120 },
        { x: 200, width: 80 },
        { x: 200, width: 150 },
        { x: 200, width: 60 },
      ],
      RIGHT,
      PAD,
    );
    expect(placed.map((p) => p.row)).toEqual([0, 1, 2, 3]);
    expect(placed.every((p) => p.align === 'left' && p.from === 203)).toBe(true);
  });

  it('keeps labels far apart in the top row, and a later one goes back up once there is room', () => {
    const placed = labelRows(
      [
        { x: 100, width: 100 },
        { x: 150, width: 100 },
        { x: 400, width: 100 },
      ],
      RIGHT,
      PAD,
    );
    expect(placed.map((p) => p.row)).toEqual([0, 1, 0]);
  });

  it('writes a label that would run past the right edge to the left of its line (where it leaves room on the right)', () => {
    const [near, other] = labelRows(
      [
        { x: 950, width: 120 },
        { x: 950, width: 30 },
      ],
      RIGHT,
      PAD,
    );
    expect(near).toEqual({ row: 0, align: 'right', from: 827, to: 947 });
    expect(other).toMatchObject({ row: 0, align: 'left', from: 953 });
  });

  it('never overlaps two labels in a row (random markers, many at shared instants)', () => {
    const random = new Random(19, 'label-rows');
    for (let run = 0; run < 200; run++) {
      const instants = Array.from({ length: 1 + Math.floor(random.next() * 5) }, () => Math.floor(random.next() * RIGHT));
      const labels: LabelToPlace[] = Array.from({ length: 1 + Math.floor(random.next() * 12) }, () => ({
        x: instants[Math.floor(random.next() * instants.length)]!,
        width: 20 + Math.floor(random.next() * 200),
      }));
      const placed = labelRows(labels, RIGHT, PAD);
      expect(overlapsInARow(placed)).toEqual([]);
      for (const p of placed) expect(p.to).toBeLessThanOrEqual(RIGHT);
    }
  });
});
