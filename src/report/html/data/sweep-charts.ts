// The charts of a sweep: for each phase, its success against the first varied key's value, and its p99 of
// successes the same way; with a second --vary, one line per value of the second key. Values written as
// plain numbers are spaced by value (sorted); anything else (words, durations) sits at even steps in the
// order given, labelled as written. The phases are the first measured variant's, matched by name.
import type { PhaseResult } from '../../../result/run-result.js';
import type { SweepDocument } from '../../../result/sweep-document.js';
import type { Chart, Series, Unit } from '../chart-data.js';

export function sweepCharts(doc: SweepDocument): Chart[] {
  const [first, second] = doc.vary;
  const phases = doc.variants.find((v) => v.result)?.result?.phases.map((p) => p.name) ?? [];
  if (!first || phases.length === 0) return [];
  const numeric = first.values.every((v) => typeof v === 'number');
  // The order of the points along x: by value for numbers, as given otherwise.
  const order = first.values.map((_, i) => i);
  if (numeric) order.sort((a, b) => (first.values[a] as number) - (first.values[b] as number));
  const x = numeric ? order.map((i) => first.values[i] as number) : order;
  const xRange: [number, number] = numeric ? padded(x[0]!, x.at(-1)!) : [-0.5, x.length - 0.5];
  const lines: { label: string; value: number | string | undefined }[] = second
    ? second.values.map((value) => ({ label: `${second.key}=${value}`, value }))
    : [{ label: 'all', value: undefined }];
  const phaseOf = (i: number, line: (typeof lines)[number], name: string): PhaseResult | undefined => {
    const want = first.values[i];
    const variant = doc.variants.find((v) => v.values[first.key] === want && (second === undefined || v.values[second.key] === line.value));
    return variant?.result?.phases.find((p) => p.name === name);
  };
  const chart = (id: string, name: string, title: string, note: string, unit: Unit, figure: (p: PhaseResult) => number | null): Chart => {
    const series: Series[] = lines.map((line, k) => ({
      label: second ? line.label : title,
      colour: `run${k}`,
      values: order.map((i) => {
        const p = phaseOf(i, line, name);
        return p ? figure(p) : null;
      }),
    }));
    return {
      id,
      title: `${name}: ${title}`,
      note,
      kind: 'sweep',
      unit,
      xLabel: first.key,
      ...(numeric ? {} : { xTicks: order.map((i) => String(first.values[i])) }),
      x,
      xRange,
      series,
      bands: [],
      markers: [],
    };
  };
  const by = second ? `, one line per ${second.key}` : '';
  return phases.flatMap((name, i) => [
    chart(`sweep-success-${i}`, name, 'success', `ok ÷ offered in phase ${name}, against ${first.key}${by}`, 'ratio', (p) =>
      p.offered > 0 ? p.successRatio : null,
    ),
    chart(`sweep-p99-${i}`, name, 'p99', `p99 latency of the successes in phase ${name}, against ${first.key}${by}`, 'ms', (p) => p.okLatencyMs?.p99 ?? null),
  ]);
}

/** A little room either side, so the first and last points are not on the plot's edges. */
function padded(min: number, max: number): [number, number] {
  const span = max - min;
  const pad = span > 0 ? span * 0.05 : Math.max(1, Math.abs(min) * 0.1);
  return [min - pad, max + pad];
}
