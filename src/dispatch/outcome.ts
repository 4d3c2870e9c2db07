// What happened to an attempt, reduced to what the report counts: an HTTP status, or an error kind.
// Kinds are the names an SRE greps for: timeout, ECONNREFUSED, ECONNRESET, socket-closed (the peer
// closed before answering), bad-response (not HTTP), and otherwise the error's own code (HPE_..., EPIPE).
import { WALL_CLOCK, type Clock } from '../core/clock.js';

/** An attempt's end: a status, or an error kind where no status came. */
export type Outcome = { readonly kind: 'status'; readonly status: number } | { readonly kind: 'error'; readonly error: string };

// Outcomes are shared values, made once per status and per error kind: an attempt's end allocates nothing.
const STATUSES: Outcome[] = Array.from({ length: 600 }, (_, status) => Object.freeze({ kind: 'status' as const, status }));
const ERRORS = new Map<string, Outcome>();

export function statusOutcome(status: number): Outcome {
  return STATUSES[status] ?? Object.freeze({ kind: 'status', status });
}

export function errorOutcome(error: string): Outcome {
  let outcome = ERRORS.get(error);
  if (outcome === undefined) {
    outcome = Object.freeze({ kind: 'error', error });
    if (ERRORS.size < 1_000) ERRORS.set(error, outcome);
  }
  return outcome;
}

export const TIMEOUT = errorOutcome('timeout');

export function errorKind(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown';
  const code = (err as { code?: unknown }).code;
  const cause = (err as { cause?: unknown }).cause;
  const causeCode = cause instanceof Error ? (cause as { code?: unknown }).code : undefined;
  if (typeof causeCode === 'string' && causeCode.startsWith('E')) return causeCode;
  switch (code) {
    case 'UND_ERR_SOCKET':
      // undici reports a reset as "other side closed" unless the socket saw ECONNRESET itself.
      return /reset/i.test(err.message) ? 'ECONNRESET' : 'socket-closed';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect-timeout';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timeout';
    case undefined:
      // undici's parser errors carry an HPE_ code only for some failures; garbage instead of a status
      // line comes without one.
      return err.name === 'HTTPParserError' ? 'bad-response' : err.name || 'unknown';
    default:
      return String(code);
  }
}

/** Whether a client tries again after this: overload and gateway statuses, and every error (no answer). */
export function isRetryable(outcome: Outcome): boolean {
  if (outcome.kind === 'error') return true;
  const s = outcome.status;
  return s === 429 || s === 500 || s === 502 || s === 503 || s === 504;
}

/**
 * Retry-After from undici's raw header list ([name, value, name, value, ...] as Buffers), in wall ms,
 * or -1 when there is none. Delta-seconds count in incident time (the bundled mock speaks incident
 * time), so they are divided by `speed`; an HTTP-date is read against the run's clock (the wall's, or a
 * virtual run's epoch origin plus its time).
 */
export function retryAfterWallMs(rawHeaders: readonly (Buffer | string)[] | null | undefined, speed: number, clock: Clock = WALL_CLOCK): number {
  if (!rawHeaders) return -1;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length !== 11 || name.toString().toLowerCase() !== 'retry-after') continue;
    const value = rawHeaders[i + 1]!.toString().trim();
    if (/^\d+(\.\d+)?$/.test(value)) return (Number(value) * 1000) / speed;
    const date = Date.parse(value);
    return Number.isNaN(date) ? -1 : Math.max(0, date - (clock.epochOrigin + clock.now()));
  }
  return -1;
}
