// A validated profile: what to send, how the client behaves, the mock it runs against, the phases,
// the faults and the thresholds. Every duration is incident ms, every rate per second of incident time.
import type { ArrivalProcess } from '../schedule/arrival-schedule.js';
import type { Phase } from '../schedule/phase.js';
import type { MockConfig } from '../mock/config/index.js';
import type { RequestClass, RequestSettings } from '../core/request.js';
import { DEFAULT_EXPECTED_STATUSES } from '../core/expected-statuses.js';

export type { RequestClass, RequestSettings };

export const BACKOFFS = ['none', 'exponential', 'full-jitter'] as const;
export type Backoff = (typeof BACKOFFS)[number];

/** How a client retries, as a profile says it (times in incident ms). */
export interface RetrySettings {
  /** Retries after the first attempt (0: never retry). */
  max: number;
  backoff: Backoff;
  baseMs: number;
  capMs: number;
  /** Wait at least as long as a 429/503's Retry-After asks. */
  respectRetryAfter: boolean;
  /** Retries allowed as a share of first attempts over the budget window (Finagle's RetryBudget); undefined: no budget. */
  budget: number | undefined;
}

export interface ClientSettings {
  timeoutMs: number;
  connections: number;
  maxInFlight: number;
  arrivals: ArrivalProcess;
  retries: RetrySettings;
  /** The statuses that count as success, canonical text ("200-299"). */
  expectedStatuses: string;
  /** Redirects followed per attempt; 0: a 3xx is the answer. */
  redirects: number;
  tls: TlsSettings;
}

export interface TlsSettings {
  /** Accept any certificate (curl -k, k6 insecureSkipTLSVerify): for a staging service with a self-signed one. */
  insecure: boolean;
  /** Trust these CAs (PEM text, read from the file a profile's `client.ca` or --ca names) besides the system's. */
  ca?: string | undefined;
  /** Where the CAs came from, for the report and messages. */
  caFile?: string | undefined;
}

export interface FaultSpec {
  /** Incident ms from the start of the run. */
  at: number;
  fault: string;
  /** As written (units and all): the mock parses them again when the fault is applied. */
  params: Record<string, unknown>;
}

export interface Profile {
  name: string;
  description: string;
  /** Where it came from, for messages: a path, or "bundled:<name>". */
  source: string;
  speed: number;
  seed: number;
  /** "mock" (the bundled simulated service) or an http(s) URL. */
  target: string;
  /** Send through the fault-injecting proxy in front of the target URL (`target: {url, proxy: true}`). */
  proxy?: boolean;
  client: ClientSettings;
  request: RequestSettings;
  mock: MockConfig;
  phases: Phase[];
  faults: FaultSpec[];
  thresholds: string[];
  /** Where each fault is written ("profiles/x.yaml:12"), for messages about it; empty for a profile made in code. */
  faultLocations: string[];
  /** The `${env.NAME}` it references (names) and the values they had (masked wherever a run shows or saves them). */
  env?: { names: string[]; values: string[] };
  /** Credentials written literally, not by `${env.NAME}` ("request.headers.authorization"): k8s refuses them. */
  literalSecrets?: string[];
}

export const CLIENT_DEFAULTS: ClientSettings = {
  timeoutMs: 30_000,
  connections: 1024,
  maxInFlight: 10_000,
  arrivals: 'uniform',
  retries: { max: 0, backoff: 'full-jitter', baseMs: 100, capMs: 10_000, respectRetryAfter: true, budget: undefined },
  expectedStatuses: DEFAULT_EXPECTED_STATUSES,
  redirects: 0,
  tls: { insecure: false },
};

export const REQUEST_DEFAULTS: RequestSettings = { method: 'GET', path: '/', headers: {}, body: undefined };
