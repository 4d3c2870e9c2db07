// A request mix: several classes of request in one run (Vegeta's targets file, k6's weighted scenarios),
// each with its share of the arrivals. Classes are given to arrivals apart from their times — evenly
// interleaved for evenly spaced arrivals, drawn from a seeded stream of their own for Poisson ones — so
// the same seed gives the same sequence of classes and adding a mix never moves an arrival.
import { Random } from '../core/random.js';
import type { RequestClass, RequestSettings } from '../core/request.js';

/** The concrete request of each class, in mix order; one entry when there is no mix. */
export function classTemplates(request: RequestSettings): Omit<RequestSettings, 'mix'>[] {
  const { mix, ...base } = request;
  if (!mix || mix.length === 0) return [base];
  return mix.map((c) => ({
    method: c.method ?? base.method,
    path: c.path ?? base.path,
    headers: { ...base.headers, ...c.headers },
    body: c.body ?? base.body,
  }));
}

/**
 * Against a target URL, the URL is a base (as k6 users write BASE_URL + path): the request's path, and each
 * class's, goes under the URL's path, keeping the URL's query too (target http://h/api/v2?key=k, request
 * path /orders?n=1: /api/v2/orders?key=k&n=1), so neither a gateway prefix nor an API key in the query is
 * lost. The default path "/" means the URL as it is.
 */
export function underTarget(request: RequestSettings, target: URL): RequestSettings {
  const mix = request.mix?.map((c) => (c.path === undefined ? c : { ...c, path: pathUnder(target, c.path) }));
  return { ...request, path: pathUnder(target, request.path), ...(mix ? { mix } : {}) };
}

/** `path` (with its query) under the target URL's path and query. */
export function pathUnder(target: URL, path: string): string {
  if (path === '/') return `${target.pathname}${target.search}`;
  const url = new URL(target.href);
  const own = new URL(path, 'http://path.invalid');
  url.pathname = `${target.pathname.replace(/\/+$/, '')}${own.pathname}`;
  for (const [key, value] of own.searchParams) url.searchParams.append(key, value);
  return `${url.pathname}${url.search}`;
}

/**
 * How classes are given to arrivals: `even` interleaves them deterministically (smooth weighted
 * round-robin, as nginx balances upstreams: every prefix of the sequence is within one request of each
 * share), for evenly spaced arrivals; `random` draws each arrival's class independently (seeded), which
 * keeps Poisson arrivals Poisson within each class.
 */
export type ClassSpread = 'even' | 'random';

/** Gives each arrival its class, with the classes' shares. */
export class ClassPicker {
  readonly #shares: number[];
  readonly #sum: number;
  readonly #spread: ClassSpread;
  readonly #random: Random;
  /** Smooth weighted round-robin: each class's running credit. */
  readonly #credit: number[];

  /** `stream` names the random stream (a virtual user has its own, so its classes do not depend on the others'). */
  constructor(mix: readonly RequestClass[] | undefined, seed: number, spread: ClassSpread = 'random', stream = 'request-mix') {
    this.#shares = (mix ?? []).map((c) => c.share);
    this.#sum = this.#shares.reduce((a, b) => a + b, 0);
    this.#credit = this.#shares.map(() => 0);
    this.#spread = spread;
    this.#random = new Random(seed, stream);
  }

  /** The index of the next arrival's class (always 0 without a mix, and then nothing is drawn). */
  next(): number {
    const shares = this.#shares;
    const last = shares.length - 1;
    if (last <= 0) return 0;
    if (this.#spread === 'even') {
      const credit = this.#credit;
      let best = 0;
      for (let i = 0; i <= last; i++) {
        credit[i]! += shares[i]!;
        if (credit[i]! > credit[best]!) best = i;
      }
      credit[best]! -= this.#sum;
      return best;
    }
    let u = this.#random.next() * this.#sum;
    for (let i = 0; i < last; i++) {
      u -= shares[i]!;
      if (u < 0) return i;
    }
    return last;
  }
}
