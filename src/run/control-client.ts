// A running mock's control API as the load side speaks it: one client for `ramp` (the faults and state
// samples of its bundled mock) and for `incident-load fault` (inject, --list, --revert). Every request carries the mock's token and
// is bounded in wall time (a mock that stops answering must never hold the caller up), and every answer
// is checked to come from the control API itself, so a wrong URL (the traffic port, any other server)
// is named as such rather than misread.
import type { AppliedFault } from '../core/fault-injector.js';
import { Pool } from 'undici';
import type { MockSample, ProxySample } from '../result/run-result.js';
import { CONTROL_API_HEADER, CONTROL_PROGRAM_HEADER } from '../mock/control-api.js';

/** Bigger than any real answer (/state with a large router pool and the full fault log). */
const ANSWER_LIMIT = 4 * 1024 * 1024;

/** What went wrong, for callers that explain it in their own words. */
export type ControlProblem =
  /** No connection: refused, reset, no such host. */
  | 'unreachable'
  /** No complete answer within the time bound. */
  | 'timeout'
  /** Something answered, but not an incident-load control API. */
  | 'not-control-api'
  /** 400: the mock judged the request and refused it (a bad fault). */
  | 'refused'
  /** 401: no token, or not this mock's. */
  | 'unauthorized'
  /** Any other error status of the control API (403, 404, 409, 413, 415, 500). */
  | 'failed';

export class ControlError extends Error {
  constructor(
    readonly problem: ControlProblem,
    message: string,
    /** The control API's own one-line message, or the connection error's code. */
    readonly detail: string,
    readonly status?: number,
    /** Whose control API answered, when one did: "mock" or "proxy". */
    readonly program: 'mock' | 'proxy' = 'mock',
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

/** The part of `GET /state` the load side reads. */
export interface ControlState {
  t: number;
  /** Incident ms per wall ms of the mock's clock (undefined from something that does not say). */
  speed: number | undefined;
  queued: number;
  busy: number;
  workers: number;
  routersReady: number | null;
}

/** One entry of `GET /faults` (the fault log, oldest first), and what `DELETE /faults/:id` answers: an applied fault. */
export type FaultLogEntry = AppliedFault;

/** `POST /faults` -> 201. */
export interface FaultCreated {
  id: number;
  at: number;
  fault: string;
  params: Record<string, unknown>;
  until?: number;
  /** Whose API took it: a mock's times are incident time, a proxy's wall ms since it started. */
  program?: 'mock' | 'proxy';
}

export interface ControlClientOptions {
  /** Wall-clock bound on each request, connecting included (default 1 s). */
  timeoutMs?: number;
}

export class ControlClient {
  readonly url: string;
  readonly #pool: Pool;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  /** Whose control API answered last. */
  #program: 'mock' | 'proxy' = 'mock';

  constructor(url: string, token: string | undefined, options: ControlClientOptions = {}) {
    this.url = url;
    this.#token = token;
    this.#timeoutMs = options.timeoutMs ?? 1_000;
    this.#pool = new Pool(url, { connections: 2, connect: { timeout: this.#timeoutMs } });
    this.#pool.on('connectionError', () => {});
  }

  async state(): Promise<ControlState> {
    const s = (await this.#request('GET', '/state', undefined, 200)) as Partial<ControlState>;
    return {
      t: s.t ?? 0,
      speed: typeof s.speed === 'number' ? s.speed : undefined,
      queued: s.queued ?? 0,
      busy: s.busy ?? 0,
      workers: s.workers ?? 0,
      routersReady: s.routersReady ?? null,
    };
  }

  /** Whose control API answered last ("mock" until one says otherwise). */
  get program(): 'mock' | 'proxy' {
    return this.#program;
  }

  /** The state as a timeline sample: a mock's gauges, or a proxy's (whichever answered). */
  async sample(): Promise<{ mock: MockSample } | { proxy: ProxySample }> {
    const s = (await this.#request('GET', '/state', undefined, 200)) as Record<string, unknown>;
    const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
    if (this.#program === 'proxy') {
      const whole = (v: unknown): number => Math.round(n(v));
      return {
        proxy: {
          inFlight: whole(s.inFlight),
          queued: whole(s.queued),
          held: whole(s.held),
          active: whole(s.active),
          requests: whole(s.requests),
          addedMs: n(s.addedMs),
          delayed: whole(s.delayed),
        },
      };
    }
    return { mock: { queued: n(s.queued), busy: n(s.busy), workers: n(s.workers), routersReady: typeof s.routersReady === 'number' ? s.routersReady : null } };
  }

  /** `{ fault: "shrink-fleet", workers: 4, for?: "30s" }`. */
  async injectFault(request: Record<string, unknown>): Promise<FaultCreated> {
    const created = (await this.#request('POST', '/faults', request, 201)) as FaultCreated;
    if (typeof created?.id !== 'number') throw this.#notControlApi(201);
    return { ...created, program: this.#program };
  }

  /** `GET /faults`: the fault log, oldest first (every active fault, and the reverted ones it keeps). */
  async faults(): Promise<FaultLogEntry[]> {
    const log = await this.#request('GET', '/faults', undefined, 200);
    if (!Array.isArray(log) || !log.every((f) => typeof (f as FaultLogEntry)?.id === 'number')) throw this.#notControlApi(200);
    return log as FaultLogEntry[];
  }

  /** `DELETE /faults/:id`, with no body: reverts an active fault now. */
  async revertFault(id: number): Promise<FaultLogEntry> {
    const reverted = (await this.#request('DELETE', `/faults/${id}`, undefined, 200)) as FaultLogEntry;
    if (typeof reverted?.id !== 'number') throw this.#notControlApi(200);
    return reverted;
  }

  /** Abandons anything still pending: a frozen mock must not hold up the caller's end either. */
  async close(): Promise<void> {
    await this.#pool.destroy();
  }

  async #request(method: 'GET' | 'POST' | 'DELETE', path: string, body: unknown, expected: number): Promise<unknown> {
    const timeoutMs = this.#timeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    const headers: Record<string, string> = {};
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let text: string;
    let program: 'mock' | 'proxy' = 'mock';
    try {
      const res = await this.#pool.request({
        method,
        path,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = res.statusCode;
      if (res.headers[CONTROL_PROGRAM_HEADER] === 'proxy') program = 'proxy';
      this.#program = program;
      if (res.headers[CONTROL_API_HEADER] !== '1') {
        await res.body.dump().catch(() => {});
        throw this.#notControlApi(status);
      }
      const read = await readLimited(res.body);
      if (read === undefined) throw this.#notControlApi(status);
      text = read;
    } catch (err) {
      if (err instanceof ControlError) throw err;
      if (signal.aborted) throw new ControlError('timeout', `the mock's control API at ${this.url} did not answer within ${timeoutMs / 1000} s`, 'timeout');
      const code = (err as { code?: string }).code ?? (err as Error).message ?? String(err);
      throw new ControlError('unreachable', `cannot reach the mock's control API at ${this.url}: ${code}`, code);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.#notControlApi(status);
    }
    if (status === expected) return parsed;
    const detail = typeof (parsed as { error?: unknown })?.error === 'string' ? (parsed as { error: string }).error : text.trim().slice(0, 200);
    const problem: ControlProblem = status === 400 ? 'refused' : status === 401 ? 'unauthorized' : 'failed';
    throw new ControlError(problem, `the ${program}'s control API at ${this.url} answered ${status}: ${detail}`, detail, status, program);
  }

  #notControlApi(status: number): ControlError {
    return new ControlError(
      'not-control-api',
      `${this.url} did not answer as an incident-load control API (it answered ${status})`,
      `answered ${status}`,
      status,
    );
  }
}

/** The body as text, or undefined when it is larger than any answer of the control API. */
async function readLimited(body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown }): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > ANSWER_LIMIT) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
