// Before a run's t0: the generator's own code made ready, so that its first second is on schedule.
// A cold process sends the first thousands of requests several times slower than a warm one (V8 has not
// compiled the hot path yet, undici's HTTP parser is not instantiated): at 5,000 req/s against nginx the
// first ~1.5 s went out hundreds of milliseconds late, and the headline p99 of a short run was the tool's
// own start. So a run first sends a short burst of the same requests (same client, classes, recorder,
// loop) to a sink of its own — a loopback listener inside this process that answers every request at
// once — and never to the target. Slow rates need it too, if less of it: on a busy machine a cold
// process sent the first second of a 200 req/s run 66 ms late at p95, against 14 ms at p99 after.
import net from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Phase } from '../../schedule/phase.js';

/** Back to back on this many connections: the most requests per wall ms a cold process sends. */
const WARM_UP_USERS = 16;
/** For as long as a twentieth of a second per 1,000 req/s of the run's (so a bigger rate warms longer), within these bounds. */
const WARM_UP_USERS_WALL_MS = { min: 100, max: 1_000, perWallRate: 0.05 };
/** Then the open model's own path (its pool, its pacing) at the run's rate within these bounds, briefly. */
const WARM_UP_OPEN_WALL_MS = 50;
/** How far past its own schedule the warm-up may run before it is cut short. */
export const WARM_UP_OVERRUN_WALL_MS = 250;
const WARM_UP_RATE_MIN = 2_000;
const WARM_UP_RATE_MAX = 5_000;

/**
 * The warm-up's schedule, or none, for a run whose busiest open phase offers `wallRate` req/s and whose
 * busiest closed phase has `users`: users back to back (thousands of requests in a quarter of a second;
 * V8 optimises a function after some thousands of calls), then the open model's path at the run's rate.
 */
export function warmUpPhases(wallRate: number, users: number): Phase[] {
  const open = wallRate > 0;
  if (!open && users === 0) return [];
  const { min, max, perWallRate } = WARM_UP_USERS_WALL_MS;
  const durationMs = Math.round(Math.min(max, Math.max(min, wallRate * perWallRate)));
  const phases: Phase[] = [{ kind: 'closed', name: 'warm-up users', durationMs, vus: WARM_UP_USERS }];
  if (open) {
    const rate = Math.min(WARM_UP_RATE_MAX, Math.max(WARM_UP_RATE_MIN, wallRate));
    phases.push({ kind: 'open', name: 'warm-up arrivals', durationMs: WARM_UP_OPEN_WALL_MS, from: rate, to: rate });
  }
  return phases;
}

let gc: (() => void) | undefined;

/** Tries to expose gc() before giving up on the collection (see collectGarbage). */
const EXPOSE_TRIES = 100;

/**
 * A full garbage collection, now: after the warm-up, so that the collection its garbage calls for does
 * not fall in the run's first second (a full one of a few hundred MB stops the loop for milliseconds).
 * V8's gc() is reached without --expose-gc by exposing it in a fresh context; the flag is set for that
 * moment only. V8's flags are the process's, not the thread's: with --workers, each worker thread does
 * this at once, and one's `--no-expose-gc` can fall between another's `--expose-gc` and its new context
 * (seen under load: "ReferenceError: gc is not defined", the worker lost). So the context asks whether
 * gc is there, and the exposing is tried again while a neighbour's reset wins; should it never win (it
 * takes a hundred races in a row), the run goes on without this collection, which only moves a pause.
 */
export function collectGarbage(): void {
  for (let i = 0; !gc && i < EXPOSE_TRIES; i++) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('typeof gc === "function" ? gc : undefined') as (() => void) | undefined;
    setFlagsFromString('--no-expose-gc');
  }
  gc?.();
}

/**
 * A loopback listener that answers every HTTP/1.1 request with an empty 200 as soon as its head and
 * body (Content-Length) are in: the warm-up's sink. Chunked bodies are answered at their head.
 */
export class WarmUpSink {
  readonly #server: net.Server;

  private constructor(server: net.Server) {
    this.#server = server;
  }

  static async start(): Promise<WarmUpSink> {
    const server = net.createServer((socket) => answerEach(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new WarmUpSink(server);
  }

  get origin(): string {
    const { port } = this.#server.address() as net.AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

const ANSWER = Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

function answerEach(socket: net.Socket): void {
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  let pending: Buffer = Buffer.alloc(0);
  /** Body bytes of the current request still to come. */
  let bodyLeft = 0;
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (bodyLeft > 0) {
        const take = Math.min(bodyLeft, pending.length);
        bodyLeft -= take;
        pending = pending.subarray(take);
        if (bodyLeft > 0) return;
        socket.write(ANSWER);
      }
      const end = pending.indexOf(HEAD_END);
      if (end < 0) return;
      const head = pending.subarray(0, end).toString('latin1');
      pending = pending.subarray(end + HEAD_END.length);
      bodyLeft = contentLength(head);
      if (bodyLeft === 0) socket.write(ANSWER);
    }
  });
}

function contentLength(head: string): number {
  const match = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
  return match ? Number(match[1]) : 0;
}
