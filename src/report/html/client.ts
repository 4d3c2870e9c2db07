// The one script of the report's own: it runs in the browser, reads the data embedded in the page
// (<script type="application/json" id="report-data">) and draws each chart into its element with uPlot,
// which the page inlines before it. Phases are shaded bands behind the lines, faults dashed lines with
// their names; colours come from the page's CSS variables, so the charts follow the system's dark or
// light scheme (and are drawn again when it changes) and are drawn light, at page width, for printing.
//
// `drawReport` is embedded in the page as its source text (Function.prototype.toString of tsc's output),
// so it must stand alone: nothing from outside its body but types and the formatters it is called with,
// which are the terminal report's own (core/units.ts), embedded the same way. The DOM is typed here by
// hand, with just what it uses, because the rest of the code is Node's and has no DOM types.
import { formatDuration, formatRate, round } from '../../core/units.js';
import type { Chart, ReportData, Unit } from './chart-data.js';
import { labelRows, type LabelToPlace, type PlacedLabel } from './label-rows.js';

/** How the charts write durations and rates: as the terminal report does; and where fault labels go. */
export interface ClientFormats {
  round(value: number, digits: number): number;
  duration(ms: number): string;
  rate(perSecond: number): string;
  labelRows(labels: readonly LabelToPlace[], right: number, pad: number): PlacedLabel[];
}

/** The script as embedded: the formatters' source and the function's, called at once with them. */
export function clientScript(): string {
  const formats = `(() => {\n${round.toString()}\n${formatDuration.toString()}\n${formatRate.toString()}\n${labelRows.toString()}\nreturn { round, duration: formatDuration, rate: formatRate, labelRows };\n})()`;
  return `(${drawReport.toString()})(${formats});\n`;
}

interface Canvas2D {
  save(): void;
  restore(): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
  setLineDash(segments: number[]): void;
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
}

interface PlotInstance {
  ctx: Canvas2D;
  bbox: { left: number; top: number; width: number; height: number };
  valToPos(value: number, scale: string, canvasPixels?: boolean): number;
  setSize(size: { width: number; height: number }): void;
  destroy(): void;
}

interface PageElement {
  clientWidth: number;
  textContent: string | null;
  classList: { add(name: string): void; remove(name: string): void };
  setAttribute(name: string, value: string): void;
}

interface Page {
  document: {
    getElementById(id: string): PageElement | null;
    documentElement: PageElement;
  };
  uPlot: new (options: unknown, data: unknown, target: PageElement) => PlotInstance;
  devicePixelRatio?: number;
  matchMedia(query: string): { matches: boolean; addEventListener(type: 'change', listener: () => void): void };
  getComputedStyle(element: PageElement): { getPropertyValue(name: string): string };
  addEventListener(type: string, listener: () => void): void;
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

export function drawReport(formats: ClientFormats): void {
  const page = globalThis as unknown as Page;
  const doc = page.document;
  const source = doc.getElementById('report-data');
  if (!source) throw new Error('incident-load report: no report-data element');
  const data = JSON.parse(source.textContent ?? '') as ReportData;
  const root = doc.documentElement;
  const PRINT_WIDTH = 680;
  const RUN_COLOURS = 12;
  // A row of fault labels: 11 px text and its leading, in CSS pixels.
  const LABEL_ROW = 13;

  const css = (name: string): string => page.getComputedStyle(root).getPropertyValue(name).trim();
  const colour = (name: string): string => {
    const run = /^run(\d+)$/.exec(name);
    return css(run ? `--c-run${Number(run[1]) % RUN_COLOURS}` : `--c-${name}`) || '#888';
  };

  const round = formats.round;
  // As the terminal report writes them: 950ms, 1.5s, 2m30s, 3h; an axis's zero as 0.
  const duration = (ms: number): string => (ms === 0 ? '0' : formats.duration(ms));
  const rate = formats.rate;
  const format = (unit: Unit, value: number | null | undefined): string => {
    if (value === null || value === undefined || !Number.isFinite(value)) return '–';
    if (unit === 'rate') return rate(value);
    if (unit === 'ratio') return `${round(value * 100, 1)}%`;
    if (unit === 'ms') return duration(value);
    return String(round(value, 1));
  };
  const percentileLabel = (x: number): string => {
    const q = (1 - 1 / x) * 100;
    return `${round(q, 3)}%`;
  };

  const zeroBased = (_u: unknown, _min: number, max: number): [number, number] => [0, max > 0 ? max * 1.05 : 1];

  function options(chart: Chart, width: number, element: PageElement): unknown {
    const pxRatio = page.devicePixelRatio ?? 1;
    const axisColour = css('--fg-muted');
    const gridColour = css('--grid');
    const font = `${11 * pxRatio}px system-ui, sans-serif`;
    const time = chart.kind === 'time';
    const sweep = chart.kind === 'sweep';
    const ticks = chart.xTicks;
    // A sweep's x: the varied value as written (a word's index labelled with the word).
    const sweepX = (v: number): string => (ticks ? (Number.isInteger(v) ? (ticks[v] ?? '') : '') : String(round(v, 3)));
    const axis = (unit: Unit, side: 1 | 3, scale: string): unknown => ({
      scale,
      side,
      stroke: axisColour,
      grid: { stroke: gridColour, width: 1, show: side === 3 },
      ticks: { stroke: gridColour },
      size: 64,
      values: (_u: unknown, splits: number[]) => splits.map((v) => format(unit, v)),
    });
    const scales: Record<string, unknown> = {
      x: time || sweep ? { time: false, range: chart.xRange } : { time: false, distr: 3, log: 10, range: chart.xRange },
      // A share: 0 to a little over 100%, so a run that never failed draws its line inside the plot, not on its edge.
      y: chart.unit === 'ratio' ? { range: [0, 1.04] } : { range: zeroBased },
    };
    if (chart.rightUnit) scales.right = { range: zeroBased };
    const axes = [
      {
        stroke: axisColour,
        grid: { stroke: gridColour, width: 1 },
        ticks: { stroke: gridColour },
        label: time ? 'incident time' : sweep ? (chart.xLabel ?? '') : 'percentile',
        labelSize: 18,
        space: 60,
        // Time ticks at steps a person reads without a calculator (seconds of incident time).
        ...(time ? { incrs: [0.001, 0.01, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400] } : {}),
        ...(chart.kind === 'percentile' ? { splits: () => [1, 10, 100, 1_000, 10_000, 100_000] } : {}),
        // A sweep's ticks at its values (words at their indexes), unless there are too many to read.
        ...(sweep && (ticks || chart.x.length <= 12) ? { splits: () => chart.x } : {}),
        values: (_u: unknown, splits: number[]) => splits.map((v) => (time ? duration(v * 1000) : sweep ? sweepX(v) : percentileLabel(v))),
      },
      axis(chart.unit, 3, 'y'),
      ...(chart.rightUnit ? [axis(chart.rightUnit, 1, 'right')] : []),
    ];
    const series = [
      {
        label: time ? 'time' : sweep ? (chart.xLabel ?? 'value') : 'percentile',
        value: (_u: unknown, v: number | null) => (v === null ? '–' : time ? duration(v * 1000) : sweep ? sweepX(v) : percentileLabel(v)),
      },
      ...chart.series.map((s) => ({
        label: s.label,
        scale: s.right ? 'right' : 'y',
        stroke: colour(s.colour),
        width: 1.75,
        dash: s.dash ? [6, 4] : undefined,
        spanGaps: s.spanGaps === true,
        // A value alone between gaps has no line to sit on: such series show their points.
        points: {
          show: sweep || (!s.spanGaps && s.values.some((v, i) => v !== null && (s.values[i - 1] ?? null) === null && (s.values[i + 1] ?? null) === null)),
          size: 5,
        },
        value: (_u: unknown, v: number | null) => format(s.right ? (chart.rightUnit ?? chart.unit) : chart.unit, v),
      })),
    ];

    const drawBands = (u: PlotInstance): void => {
      const { ctx, bbox } = u;
      ctx.save();
      ctx.font = font;
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      chart.bands.forEach((band, i) => {
        const from = Math.max(bbox.left, u.valToPos(band.from, 'x', true));
        const to = Math.min(bbox.left + bbox.width, u.valToPos(band.to, 'x', true));
        if (to <= from) return;
        ctx.fillStyle = css(i % 2 === 0 ? '--band-a' : '--band-b');
        ctx.fillRect(from, bbox.top, to - from, bbox.height);
        const label = band.label;
        if (ctx.measureText(label).width + 8 * pxRatio < to - from) {
          ctx.fillStyle = axisColour;
          ctx.fillText(label, from + 4 * pxRatio, bbox.top + 3 * pxRatio);
        }
      });
      ctx.restore();
    };
    const drawMarkers = (u: PlotInstance): void => {
      const { ctx, bbox } = u;
      ctx.save();
      ctx.font = font;
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      const right = bbox.left + bbox.width;
      const xs = chart.markers.map((marker) => u.valToPos(marker.at, 'x', true));
      const shown = chart.markers.map((_, i) => i).filter((i) => xs[i]! >= bbox.left && xs[i]! <= right);
      // A label longer than 45% of the plot is cut short ("…"), so it stays inside the plot on one side.
      const fit = (text: string): string => {
        const max = bbox.width * 0.45;
        if (ctx.measureText(text).width <= max) return text;
        let n = text.length;
        while (n > 1 && ctx.measureText(`${text.slice(0, n)}…`).width > max) n--;
        return `${text.slice(0, n)}…`;
      };
      const texts = shown.map((i) => fit(chart.markers[i]!.label));
      // Labels go down in rows, each in the first where it overlaps none: faults at one instant stack.
      const places = formats.labelRows(
        texts.map((text, k) => ({ x: xs[shown[k]!]!, width: ctx.measureText(text).width })),
        right,
        3 * pxRatio,
      );
      const boxes: { label: string; x: number; y: number; width: number; height: number }[] = [];
      shown.forEach((i, k) => {
        const marker = chart.markers[i]!;
        const x = xs[i]!;
        const place = places[k]!;
        ctx.strokeStyle = colour(marker.failed ? 'failed' : 'fault');
        ctx.lineWidth = 1.5 * pxRatio;
        ctx.setLineDash([4 * pxRatio, 3 * pxRatio]);
        ctx.beginPath();
        ctx.moveTo(x, bbox.top);
        ctx.lineTo(x, bbox.top + bbox.height);
        ctx.stroke();
        const y = bbox.top + (16 + place.row * LABEL_ROW) * pxRatio;
        ctx.fillStyle = colour(marker.failed ? 'failed' : 'fault');
        ctx.fillText(texts[k]!, place.from, y);
        boxes.push({ label: marker.label, x: place.from / pxRatio, y: y / pxRatio, width: (place.to - place.from) / pxRatio, height: LABEL_ROW });
      });
      ctx.restore();
      // Where each label went, in CSS pixels of the canvas, for whoever checks the page (the browser test).
      element.setAttribute('data-fault-labels', JSON.stringify(boxes));
    };

    return {
      width,
      height: time ? 220 : 300,
      scales,
      axes,
      series,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      hooks: time ? { drawClear: [drawBands], draw: [drawMarkers] } : {},
    };
  }

  let plots: { chart: Chart; element: PageElement; plot: PlotInstance }[] = [];

  function drawAll(width?: number): void {
    for (const p of plots) p.plot.destroy();
    plots = [];
    for (const chart of data.charts) {
      const element = doc.getElementById(`chart-${chart.id}`);
      if (!element) throw new Error(`incident-load report: no element for chart ${chart.id}`);
      const plot = new page.uPlot(
        options(chart, width ?? Math.max(320, element.clientWidth), element),
        [chart.x, ...chart.series.map((s) => s.values)],
        element,
      );
      plots.push({ chart, element, plot });
    }
    root.setAttribute('data-charts', String(plots.length));
  }

  drawAll();

  let resizing: number | undefined;
  page.addEventListener('resize', () => {
    if (resizing !== undefined) page.clearTimeout(resizing);
    resizing = page.setTimeout(() => {
      for (const p of plots) p.plot.setSize({ width: Math.max(320, p.element.clientWidth), height: p.chart.kind === 'time' ? 220 : 300 });
    }, 150);
  });
  page.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => drawAll());
  // Printed: light colours (the class switches the CSS variables) at a page's width.
  page.addEventListener('beforeprint', () => {
    root.classList.add('printing');
    drawAll(PRINT_WIDTH);
  });
  page.addEventListener('afterprint', () => {
    root.classList.remove('printing');
    drawAll();
  });
}
