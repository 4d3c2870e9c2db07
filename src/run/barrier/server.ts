// The start barrier's server, run by segment 0: it holds each registration open until all n segments of
// the run are in, then answers every one of them with the same start, now + a margin. Bounded: if they
// are not all in within the timeout, every waiting segment is told which are missing, and so is the run
// of segment 0 (its `released` rejects). A segment that reconnects (a dropped connection) registers again
// and is answered like the first time; after the release, at once, with the same start.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { refusal } from '../../core/listener-guard.js';
import { BARRIER_HEADER, BARRIER_PATH, BarrierError, missingMessage, type Registration, type Release } from './protocol.js';

const BODY_LIMIT = 4 * 1024;

export interface BarrierServerOptions {
  run: string;
  count: number;
  token: string;
  /** Listen address; remote (0.0.0.0, in a pod) lets other machines register, with the token. */
  host: string;
  remote: boolean;
  port: number;
  /** How long to wait for every segment, from listen(), wall ms. */
  timeoutMs: number;
  /** The timeout as the user gave it, for the message ("2m"). */
  timeoutLabel: string;
  /** How far ahead of the release the start is, wall ms. */
  marginMs: number;
}

export class BarrierServer {
  readonly #options: BarrierServerOptions;
  readonly #server: Server;
  readonly #waiting = new Map<number, ServerResponse[]>();
  #release: Release | undefined;
  #failure: BarrierError | undefined;
  #timer: NodeJS.Timeout | undefined;
  #settle!: { resolve: (r: Release) => void; reject: (e: BarrierError) => void };
  /** Resolves when all n are in; rejects (BarrierError) when the time is up first. */
  readonly released: Promise<Release>;

  constructor(options: BarrierServerOptions) {
    this.#options = options;
    this.released = new Promise<Release>((resolve, reject) => (this.#settle = { resolve, reject }));
    // Whoever awaits it handles the rejection; an unawaited one must not crash the process.
    this.released.catch(() => {});
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => send(res, 500, { error: err instanceof Error ? err.message : String(err) }));
    });
  }

  /** Opens the port and starts the clock; resolves with the address it listens on ("127.0.0.1:7070"). */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port, this.#options.host, () => {
        this.#server.off('error', reject);
        this.#server.on('error', () => undefined);
        resolve();
      });
    });
    this.#timer = setTimeout(() => this.#timeUp(), this.#options.timeoutMs);
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('the barrier is not listening on TCP');
    return `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  }

  /** Segment 0's own registration, in this process. */
  arrive(index: number): void {
    this.#waiting.set(index, this.#waiting.get(index) ?? []);
    this.#check();
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    await new Promise<void>((resolve) => {
      if (!this.#server.listening) return resolve();
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { run, count } = this.#options;
    const refused = refusal(req, {
      token: this.#options.token,
      remote: this.#options.remote,
      what: 'the start barrier',
      tokenHint: "the run's barrier token (--barrier-token-file)",
      realm: 'incident-load barrier',
    });
    if (refused) {
      req.resume();
      return send(res, refused.status, { error: refused.error }, refused.headers);
    }
    if (new URL(req.url ?? '/', 'http://barrier').pathname !== BARRIER_PATH)
      return send(res, 404, { error: `no such path: the barrier answers POST ${BARRIER_PATH}` });
    if (req.method !== 'POST') return send(res, 405, { error: `POST ${BARRIER_PATH} only` }, { allow: 'POST' });
    const body = await readBody(req);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body ?? '');
    } catch {
      parsed = undefined;
    }
    // Anything but {"run": text, "index": number, "count": number} (null, a list, a run that is an object) is 400, never a 500.
    const registration = parsed as Partial<Registration> | null | undefined;
    if (
      registration === null ||
      typeof registration !== 'object' ||
      Array.isArray(registration) ||
      typeof registration.run !== 'string' ||
      typeof registration.index !== 'number' ||
      typeof registration.count !== 'number'
    )
      return send(res, 400, { error: `expected {"run": text, "index": number, "count": number} as JSON of at most ${BODY_LIMIT} bytes` });
    const { index } = registration;
    if (registration.run !== run)
      return send(res, 409, {
        error: `segment ${String(index)} is of another run (${String(registration.run).slice(0, 12)}, this one is ${run.slice(0, 12)}): every segment must run the same profile with the same flags`,
      });
    if (registration.count !== count || typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count)
      return send(res, 409, { error: `segment ${String(index)} of ${String(registration.count)} is not one of this run's ${count} segments` });
    if (this.#release) return send(res, 200, this.#release);
    if (this.#failure) return send(res, 504, { error: this.#failure.message, missing: this.#failure.missing });
    const waiting = this.#waiting.get(index) ?? [];
    waiting.push(res);
    this.#waiting.set(index, waiting);
    // A dropped connection leaves the segment counted as arrived: it registers again when it reconnects.
    res.on('close', () => {
      const at = waiting.indexOf(res);
      if (at >= 0) waiting.splice(at, 1);
    });
    this.#check();
  }

  #check(): void {
    if (this.#release || this.#failure || this.#waiting.size < this.#options.count) return;
    clearTimeout(this.#timer);
    const startAtMs = Date.now() + this.#options.marginMs;
    this.#release = { startAtMs, startAt: new Date(startAtMs).toISOString() };
    for (const list of this.#waiting.values()) for (const res of list.splice(0)) send(res, 200, this.#release);
    this.#settle.resolve(this.#release);
  }

  #timeUp(): void {
    if (this.#release) return;
    const { count } = this.#options;
    const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !this.#waiting.has(i));
    this.#failure = new BarrierError(missingMessage(missing, count, this.#options.timeoutLabel), missing);
    for (const list of this.#waiting.values()) for (const res of list.splice(0)) send(res, 504, { error: this.#failure.message, missing });
    this.#settle.reject(this.#failure);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), [BARRIER_HEADER]: '1' });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
