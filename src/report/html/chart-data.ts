// The data the report embeds for its charts (as JSON in the page, drawn by client.ts with uPlot): plain
// arrays, already computed from the result — percentiles read from the histograms here, in Node, so the
// page needs neither the histograms nor a decoder. Times are seconds of incident time.

/** How a chart's values read: requests per second, a share (0..1), a latency in ms, a count. */
export type Unit = 'rate' | 'ratio' | 'ms' | 'count';

/** The palette of the page (CSS variables --c-<name>), so dark and light each get their own colours. */
export type Colour = 'offered' | 'ok' | 'failed' | 'dropped' | 'p50' | 'p90' | 'p99' | 'max' | 'queued' | 'busy' | 'workers' | 'routers' | `run${number}`;

export interface Series {
  label: string;
  colour: Colour;
  /** One per x; null where there is nothing to draw (a gap, never a zero). */
  values: (number | null)[];
  /** The right-hand axis (its own unit) instead of the left. */
  right?: boolean;
  dash?: boolean;
  /**
   * Draw the line across gaps: for sampled state (the mock's), where a gap is a sample that was missed
   * (a busy mock answers late), not a moment without state.
   */
  spanGaps?: boolean;
}

/** A phase, as a shaded band behind every time chart. */
export interface PhaseBand {
  from: number;
  to: number;
  label: string;
}

/** A fault, as a vertical line at the moment it was applied (or should have been: `failed`). */
export interface FaultMarker {
  at: number;
  label: string;
  failed: boolean;
}

export interface Chart {
  /** Unique in the page: the element the chart draws into. */
  id: string;
  title: string;
  /** Said under the title: what the figures are of. */
  note: string;
  /**
   * time: x is seconds of incident time, with bands and markers. percentile: x is 1 / (1 - q), drawn on a
   * log scale. sweep: x is a varied setting's value (a sweep's variants), its points marked.
   */
  kind: 'time' | 'percentile' | 'sweep';
  /** A sweep chart's x axis: the varied key. */
  xLabel?: string;
  /** A sweep chart's values that are not numbers ("poisson", "5s"): x is their index, labelled with these. */
  xTicks?: string[];
  unit: Unit;
  /** The right-hand axis's unit, when a series is drawn against it. */
  rightUnit?: Unit;
  x: number[];
  /** The x range shown (every time chart of a page shares one). */
  xRange: [number, number];
  series: Series[];
  bands: PhaseBand[];
  markers: FaultMarker[];
}

export interface ReportData {
  charts: Chart[];
}
