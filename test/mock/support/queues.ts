// Textbook queues, written independently of the mock's model, to check what the mock did through HTTP.
import { Random } from '../../../src/core/random.js';

/** Waits of a FIFO queue with `servers` servers (Kiefer-Wolfowitz), arrivals sorted ascending. */
export function fifoWaits(arrivals: number[], services: number[], servers: number): number[] {
  const freeAt = new Array<number>(servers).fill(-Infinity);
  return arrivals.map((at, i) => {
    let k = 0;
    for (let j = 1; j < servers; j++) if (freeAt[j]! < freeAt[k]!) k = j;
    const start = Math.max(at, freeAt[k]!);
    freeAt[k] = start + services[i]!;
    return start - at;
  });
}

/** Which arrivals a loss system with `servers` servers (no queue) blocks. */
export function lossBlocked(arrivals: number[], services: number[], servers: number): boolean[] {
  const freeAt = new Array<number>(servers).fill(-Infinity);
  return arrivals.map((at, i) => {
    let k = 0;
    for (let j = 1; j < servers; j++) if (freeAt[j]! < freeAt[k]!) k = j;
    if (freeAt[k]! > at) return true;
    freeAt[k] = at + services[i]!;
    return false;
  });
}

export interface Spread {
  mean: number;
  sd: number;
}

/**
 * The distribution of a statistic over `replications` fresh exponential service sequences (mean
 * `meanService`) fed the same arrivals: what an M/M/c queue would show for exactly these arrivals.
 */
export function monteCarlo(replications: number, seed: number, arrivals: number[], meanService: number, statistic: (services: number[]) => number): Spread {
  const random = new Random(seed, 'test.monte-carlo');
  const values: number[] = [];
  for (let r = 0; r < replications; r++) {
    const services = arrivals.map(() => random.exponential(meanService));
    values.push(statistic(services));
  }
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

/** Kolmogorov-Smirnov distance between a sample and the exponential distribution with `mean`. */
export function ksExponential(sample: number[], mean: number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  let d = 0;
  sorted.forEach((x, i) => {
    const f = 1 - Math.exp(-x / mean);
    d = Math.max(d, Math.abs(f - i / sorted.length), Math.abs(f - (i + 1) / sorted.length));
  });
  return d;
}
