// Several runs' per-window values on one x axis: the union of their window positions, each run's value
// where it has a window there and null elsewhere. Runs of one profile share their windows exactly; runs of
// different lengths still line up in incident time.

export interface Track {
  x: readonly number[];
  values: readonly (number | null)[];
}

export function overlay(tracks: readonly Track[]): { x: number[]; values: (number | null)[][] } {
  const x = [...new Set(tracks.flatMap((t) => t.x))].sort((a, b) => a - b);
  const index = new Map(x.map((v, i) => [v, i]));
  const values = tracks.map((t) => {
    const row: (number | null)[] = x.map(() => null);
    t.x.forEach((v, i) => (row[index.get(v)!] = t.values[i] ?? null));
    return row;
  });
  return { x, values };
}
