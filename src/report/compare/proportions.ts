// Intervals for counts that stay within what the figure can be: a success ratio between 0 and 1, a
// difference of two between −1 and +1, a ratio of two rates between 0 and ∞. Each takes an effective
// sample size rather than the raw count of requests: requests in a queue are not independent, and
// significance.ts says how many independent ones a run's requests are worth.

/** The Wilson score interval of a proportion p̂ observed over n (effective) trials; within [0, 1]. */
export function wilson(p: number, n: number, z: number): [number, number] {
  if (!(n > 0)) return [0, 1];
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * The interval of pB − pA by Newcombe's hybrid score method (his method 10, 1998): each proportion's
 * Wilson interval, combined. Unlike the normal approximation it never leaves [−1, +1] and behaves at
 * 0 and 1 (a phase where everything failed has a Wilson interval from 0, not a zero-width one).
 */
export function newcombe(pA: number, nA: number, pB: number, nB: number, z: number): [number, number] {
  const [lA, uA] = wilson(pA, nA, z);
  const [lB, uB] = wilson(pB, nB, z);
  const d = pB - pA;
  const lo = d - Math.sqrt((pB - lB) ** 2 + (uA - pA) ** 2);
  const hi = d + Math.sqrt((uB - pB) ** 2 + (pA - lA) ** 2);
  return [Math.max(-1, lo), Math.min(1, hi)];
}

/**
 * The interval of a ratio of two rates, (okB / tB) ÷ (okA / tA), by conditioning on the total: given
 * okA + okB successes, B's share of them is a proportion whose Wilson interval (over `n` effective
 * trials) maps to the ratio. Within [0, ∞]: 0 when B had none, ∞ only when A had none.
 */
export function rateRatio(okA: number, tA: number, okB: number, tB: number, n: number, z: number): [number, number] {
  const total = okA + okB;
  const [lo, hi] = wilson(okB / total, n, z);
  const ratio = (share: number): number => (share >= 1 ? Infinity : (share / (1 - share)) * (tA / tB));
  return [ratio(lo), ratio(hi)];
}
