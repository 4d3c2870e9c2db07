// How long the blocks of the block bootstrap are: long enough to keep what neighbouring windows share
// (a queue that builds up lasts several windows), short enough to leave many blocks to draw from. The
// length comes from the series itself, by the automatic selection of Politis & White (2004, with the
// correction of Patton, Politis & White 2009): the autocorrelations of the window series tell how far
// dependence reaches, and the optimal length for the circular and moving-block bootstraps follows from
// them. It is never below √n windows (shorter blocks missed how far a queue's memory reaches in the
// mock's M/M/c runs: the medians' spread came out a quarter too small). When the series need blocks
// longer than a quarter of themselves, a resample would hold fewer than four nearly independent pieces
// and say nothing reliable: the length is still given (n/4), with `tooLong` set, and the verdict is
// "insufficient" — a queue near saturation wanders for longer than the phase lasts, and a phase that
// a fault breaks half way is not one steady state.

export interface BlockChoice {
  length: number;
  /** The series wanted blocks longer than a quarter of themselves. */
  tooLong: boolean;
}

/** The block length for series of n windows each (the longest any of them needs). */
export function chooseBlockLength(series: readonly (readonly number[])[]): BlockChoice {
  const n = series[0]?.length ?? 0;
  if (n < 4) return { length: 1, tooLong: n > 1 };
  const floor = Math.max(1, Math.round(Math.sqrt(n)));
  const ceiling = Math.max(1, Math.floor(n / 4));
  const wanted = Math.max(floor, ...series.map((s) => Math.ceil(politisWhite(s))));
  return { length: Math.min(ceiling, wanted), tooLong: wanted > ceiling };
}

/** Variation below this share of a series' largest value is rounding, not variation. */
const FLAT = 1e-9;

/** The Politis–White optimal block length of one series (circular / moving blocks); 1 for a flat series, or one whose correlations cancel. */
export function politisWhite(x: readonly number[]): number {
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const centred = x.map((v) => v - mean);
  const variance = centred.reduce((a, b) => a + b * b, 0) / n;
  // Flat, up to rounding: 40 windows of success 0.8 have a mean one ulp off 0.8, and the residues, all
  // alike, would read as a correlation that never dies out.
  const scale = x.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
  if (!(variance > (FLAT * scale) ** 2)) return 1;
  const maxLag = Math.min(n - 1, Math.ceil(Math.sqrt(n)) + Math.max(5, Math.ceil(Math.sqrt(Math.log10(n)))));
  const acov = (k: number): number => {
    let s = 0;
    for (let i = 0; i + k < n; i++) s += centred[i]! * centred[i + k]!;
    return s / n;
  };
  const R = Array.from({ length: maxLag + 1 }, (_, k) => acov(k));
  const rho = R.map((r) => r / R[0]!);
  // m̂: the first lag after which K_n correlations in a row are insignificant (|ρ| < c·√(log10 n / n), c = 2).
  const K = Math.max(5, Math.ceil(Math.sqrt(Math.log10(n))));
  const bound = 2 * Math.sqrt(Math.log10(n) / n);
  // Correlation that never dies out within the lags looked at: as far as they reach.
  let m = maxLag - K;
  for (let candidate = 0; candidate + K <= maxLag; candidate++) {
    let quiet = true;
    for (let k = 1; k <= K; k++) if (Math.abs(rho[candidate + k]!) >= bound) quiet = false;
    if (quiet) {
      m = candidate;
      break;
    }
  }
  const M = Math.min(2 * Math.max(m, 1), maxLag);
  // The flat-top lag window of Politis & Romano.
  const lambda = (t: number): number => (Math.abs(t) <= 0.5 ? 1 : Math.abs(t) <= 1 ? 2 * (1 - Math.abs(t)) : 0);
  let g0 = R[0]!;
  let G = 0;
  for (let k = 1; k <= M; k++) {
    const w = lambda(k / M);
    g0 += 2 * w * R[k]!;
    G += 2 * w * k * R[k]!;
  }
  // g0 is the long-run variance (2π times the spectral density at zero). When it is no larger than the
  // variance R(0), the correlations cancel on balance (a completion that moves across a window boundary
  // makes neighbours alternate, 0.89 then 0.73: a lag-1 correlation near −0.5), and the mean is known at
  // least as well as from independent windows: short blocks then overstate its spread, the safe side.
  // The formula below would instead divide by a g0 near zero and ask for blocks longer than the series.
  if (!(g0 > R[0]!)) return 1;
  const D = (4 / 3) * g0 * g0;
  return Math.max(1, Math.cbrt((2 * G * G) / D) * Math.cbrt(n));
}
