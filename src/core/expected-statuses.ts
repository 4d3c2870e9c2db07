// What counts as success: the HTTP statuses a client expects (k6's expectedStatuses). 2xx by default;
// a profile or --expected-statuses can widen it ("200-399", as Vegeta counts) or pick ("2xx,409"). The
// dispatcher stops at an expected status (no retry), the recorder counts it as ok, and the report reads
// the same set back from the result. A lookup table, so the hot path pays one array read.
import { UnitError } from './units.js';

export const DEFAULT_EXPECTED_STATUSES = '200-299';
const EXPECTED = 'statuses such as "200-299", "200-399" or "2xx,3xx,409" (from 100 to 599)';

export class ExpectedStatuses {
  /** The set as text, in a canonical form ("200-299,409"): what results record. */
  readonly text: string;
  readonly #table = new Uint8Array(600);

  private constructor(ranges: readonly [number, number][]) {
    for (const [from, to] of ranges) this.#table.fill(1, from, to + 1);
    this.text = canonical(this.#table);
  }

  /** "200-299", "2xx,3xx,409", "200,204" (whitespace allowed); throws UnitError. */
  static parse(raw: unknown): ExpectedStatuses {
    if (typeof raw === 'number') raw = String(raw);
    if (typeof raw !== 'string' || raw.trim() === '') throw new UnitError(EXPECTED, raw);
    const ranges = raw.split(',').map((part): [number, number] => {
      const item = part.trim().toLowerCase();
      const family = /^([1-5])xx$/.exec(item);
      if (family) return [Number(family[1]) * 100, Number(family[1]) * 100 + 99];
      const range = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(item);
      const from = range ? Number(range[1]) : NaN;
      const to = range ? Number(range[2] ?? range[1]) : NaN;
      if (!(from >= 100 && to <= 599 && from <= to)) throw new UnitError(EXPECTED, raw);
      return [from, to];
    });
    return new ExpectedStatuses(ranges);
  }

  /** 2xx. */
  static readonly DEFAULT = ExpectedStatuses.parse(DEFAULT_EXPECTED_STATUSES);

  has(status: number): boolean {
    return this.#table[status] === 1;
  }
}

function canonical(table: Uint8Array): string {
  const parts: string[] = [];
  for (let s = 100; s < 600; s++) {
    if (table[s] !== 1) continue;
    let end = s;
    while (end + 1 < 600 && table[end + 1] === 1) end++;
    parts.push(end === s ? String(s) : `${s}-${end}`);
    s = end;
  }
  return parts.join(',');
}
