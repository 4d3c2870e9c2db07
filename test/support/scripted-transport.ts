// A Transport (src/core/transport.ts) that answers when a test says so: every request handed to it waits,
// recorded with the clock's time, until the test answers it (a status and headers) or fails it; an abort
// the client calls is recorded. With a ManualClock the dispatcher's times are then exact, with no socket
// and no wall time.
import type { Clock } from '../../src/core/clock.js';
import type { Dispatch, ExchangeHandler, OutgoingRequest, Transport } from '../../src/core/transport.js';

/** One request as the transport saw it. */
export interface Exchange {
  request: OutgoingRequest;
  handler: ExchangeHandler;
  /** The clock's time when it was handed over. */
  at: number;
  /** Which lane: "shared", "lane <user>" or "elsewhere". */
  via: string;
  /** The error the client aborted it with, if it did. */
  aborted: Error | undefined;
  /** Answered or failed by the test. */
  ended: boolean;
}

export class ScriptedTransport implements Transport {
  readonly exchanges: Exchange[] = [];
  readonly shared: Dispatch;
  closed = false;

  constructor(readonly clock: Clock) {
    this.shared = this.#lane('shared');
  }

  lane(user: number): Dispatch {
    return this.#lane(`lane ${user}`);
  }

  elsewhere(): Dispatch {
    return this.#lane('elsewhere');
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Answers exchange `i` now: `status`, the headers given, a small body. */
  answer(i: number, status: number, headers: Record<string, string> = {}): void {
    const x = this.#open(i);
    const raw: Buffer[] = [];
    for (const [name, value] of Object.entries(headers)) raw.push(Buffer.from(name), Buffer.from(value));
    x.handler.onHeaders?.(status, raw, () => {}, '');
    x.handler.onData?.(Buffer.from('{}'));
    x.handler.onComplete?.(null);
  }

  /** Fails exchange `i` now, as a socket error with this code would. */
  fail(i: number, code: string): void {
    this.#open(i).handler.onError?.(Object.assign(new Error(code), { code }));
  }

  /** The exchanges still waiting for an answer. */
  pending(): Exchange[] {
    return this.exchanges.filter((x) => !x.ended && x.aborted === undefined);
  }

  #open(i: number): Exchange {
    const x = this.exchanges[i];
    if (!x) throw new Error(`no exchange ${i}: ${this.exchanges.length} so far`);
    if (x.ended) throw new Error(`exchange ${i} was already answered`);
    x.ended = true;
    return x;
  }

  #lane(via: string): Dispatch {
    return {
      dispatch: (request, handler) => {
        const x: Exchange = { request, handler, at: this.clock.now(), via, aborted: undefined, ended: false };
        this.exchanges.push(x);
        handler.onConnect?.((err) => {
          x.aborted ??= err ?? new Error('aborted');
        });
        return true;
      },
    };
  }
}
