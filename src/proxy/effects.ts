// What the active faults do to the traffic, as live sets the request pipeline (traffic.ts) reads for every
// request: one entry per active fault, added by its `apply` and removed by its revert. Faults of a kind add
// up as the mock's do: two latencies add, every error rate and every reset draws on its own, every rate
// limit and connection cap must let a request through, the shortest timeout and the lowest bandwidth win.
import type { Random } from '../core/random.js';
import type { ConnectionCap } from './connection-cap.js';
import type { Revert } from './faults/fault.js';
import type { TokenBucket } from '../core/token-bucket.js';

export type Direction = 'request' | 'response';

export interface LatencyEffect {
  latencyMs: number;
  jitterMs: number;
  direction: Direction;
  share: number;
  random: Random;
}

export interface ErrorEffect {
  id: number;
  rate: number;
  status: number;
  /** Retry-After, whole seconds; undefined: none. */
  retryAfterS: number | undefined;
  random: Random;
}

export interface RateLimitEffect {
  id: number;
  bucket: TokenBucket;
}

export interface ResetEffect {
  share: number;
  afterMs: number;
  random: Random;
}

export interface BlackholeEffect {
  share: number;
  /** Close the held connection after this long; 0: hold it until the client gives up or the fault goes. */
  timeoutMs: number;
  random: Random;
  /** The requests it holds now: each one's release (closes the connection), so the revert frees them all. */
  held: Set<() => void>;
}

export class Effects {
  readonly latency = new Set<LatencyEffect>();
  readonly errors = new Set<ErrorEffect>();
  readonly rateLimits = new Set<RateLimitEffect>();
  readonly resets = new Set<ResetEffect>();
  readonly blackholes = new Set<BlackholeEffect>();
  readonly caps = new Set<ConnectionCap>();
  /** Upstream deadlines (shorten-timeout), wall ms. */
  readonly timeouts = new Set<{ timeoutMs: number }>();
  /** Response bandwidths, bytes per second. */
  readonly bandwidth = new Set<{ bytesPerSecond: number }>();

  /** Whether any fault is active: the pipeline's fast path when not. */
  get any(): boolean {
    return (
      this.latency.size +
        this.errors.size +
        this.rateLimits.size +
        this.resets.size +
        this.blackholes.size +
        this.caps.size +
        this.timeouts.size +
        this.bandwidth.size >
      0
    );
  }

  /** Adds `effect` to `set`; the revert takes it out again. */
  add<T>(set: Set<T>, effect: T, onRevert?: () => void): Revert {
    set.add(effect);
    return () => {
      set.delete(effect);
      onRevert?.();
    };
  }
}
