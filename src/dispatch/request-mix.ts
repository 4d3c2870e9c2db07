// A request mix: several classes of request in one run (Vegeta's targets file, k6's weighted scenarios),
// each with its share of the arrivals. Which class an arrival is comes from its own seeded stream, so
// the same seed gives the same sequence of classes and adding a class never moves the arrival times.
import { Random } from '../random.js';

/** One class of a request mix: what it changes in the request, and its share of the arrivals. */
export interface RequestClass {
  name: string;
  /** Share of arrivals, in (0, 1]; the shares of a mix sum to 1. */
  share: number;
  method?: string | undefined;
  /** Replaces the request's path (also against a --target URL, whose path is the default). */
  path?: string | undefined;
  /** Added to the request's headers, replacing any of the same name. */
  headers?: Record<string, string> | undefined;
  body?: string | undefined;
}

export interface RequestTemplate {
  method: string;
  /** Path and query, e.g. "/api?x=1". */
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /** The classes of a mix; absent, every request is this template. */
  mix?: readonly RequestClass[] | undefined;
}

/** The concrete request of each class, in mix order; one entry when there is no mix. */
export function classTemplates(request: RequestTemplate): Omit<RequestTemplate, 'mix'>[] {
  const { mix, ...base } = request;
  if (!mix || mix.length === 0) return [base];
  return mix.map((c) => ({
    method: c.method ?? base.method,
    path: c.path ?? base.path,
    headers: { ...base.headers, ...c.headers },
    body: c.body ?? base.body,
  }));
}

/** Draws the class of each arrival with the classes' shares. */
export class ClassPicker {
  readonly #cumulative: number[];
  readonly #random: Random;

  constructor(mix: readonly RequestClass[] | undefined, seed: number) {
    let sum = 0;
    this.#cumulative = (mix ?? []).map((c) => (sum += c.share));
    this.#random = new Random(seed, 'request-mix');
  }

  /** The index of the next arrival's class (always 0 without a mix, and then nothing is drawn). */
  next(): number {
    const cumulative = this.#cumulative;
    const last = cumulative.length - 1;
    if (last <= 0) return 0;
    const u = this.#random.next() * cumulative[last]!;
    for (let i = 0; i < last; i++) if (u < cumulative[i]!) return i;
    return last;
  }
}
