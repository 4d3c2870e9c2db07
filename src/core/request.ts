// What a request looks like — one shape for the profile that describes it, the dispatcher that sends it and
// the result that records it — and the classes of a request mix.

export interface RequestSettings {
  method: string;
  /** Path and query ("/api?x=1"); against a target URL it goes under the URL's own path. */
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /**
   * A request mix: each arrival is one of these classes, in proportion to its share, and every figure
   * is also reported per class. Absent: every request is the same.
   */
  mix?: readonly RequestClass[] | undefined;
}

/** One class of a request mix: what it changes in the request, and its share of the arrivals. */
export interface RequestClass {
  name: string;
  /** Share of arrivals, in (0, 1]; the shares of a mix sum to 1. */
  share: number;
  method?: string | undefined;
  /** Replaces the request's path; against a target URL it goes under the URL's path. */
  path?: string | undefined;
  /** Added to the request's headers, replacing any of the same name. */
  headers?: Record<string, string> | undefined;
  body?: string | undefined;
}

/** The methods a profile, a class or -m may name. */
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
