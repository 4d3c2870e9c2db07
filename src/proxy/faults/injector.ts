// Applies faults to the running proxy, keeps their log, and reverts them: on request (DELETE) or by
// themselves after `for`. The mock's injector (src/mock/faults/injector.ts) does the same in virtual time
// on its model; this one keeps wall time (ms since the proxy started), since a real service's time is the
// wall's, and gives each fault its own random stream drawn from the proxy's seed and the fault's id.
import { Random } from '../../core/random.js';
import type { Effects } from '../effects.js';
import type { Revert } from './fault.js';
import { findProxyFault, formatProxyFaultProblems, proxyFaultNames, unknownProxyFault, validateProxyFault } from './registry.js';

/** One applied fault, as `GET /faults` and `/state` show it. Times are ms since the proxy started. */
export interface AppliedProxyFault {
  id: number;
  at: number;
  fault: string;
  /** The params as parsed: durations in ms, sizes in bytes, shares in 0..1. */
  params: Record<string, unknown>;
  until?: number;
  reverted?: number;
}

export interface ProxyFaultEvent {
  kind: 'applied' | 'reverted';
  record: AppliedProxyFault;
  /** The params as they were given, with `for`: for logs people read. */
  input: Record<string, unknown>;
}

/** A fault the proxy will not apply (bad name, bad params, a mock-only fault): HTTP 400. */
export class FaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultError';
  }
}

interface Active {
  record: AppliedProxyFault;
  input: Record<string, unknown>;
  revert: Revert;
  timer: NodeJS.Timeout | undefined;
}

export class ProxyFaultInjector {
  #log: AppliedProxyFault[] = [];
  readonly #active = new Map<number, Active>();
  #nextId = 1;
  readonly #listeners: ((event: ProxyFaultEvent) => void)[] = [];
  readonly #t0 = performance.now();

  constructor(
    readonly effects: Effects,
    readonly seed: number,
    readonly logLimit = 1000,
    readonly activeLimit = 500,
  ) {}

  /** Ms since the proxy started. */
  now(): number {
    return performance.now() - this.#t0;
  }

  get activeCount(): number {
    return this.#active.size;
  }

  onEvent(listener: (event: ProxyFaultEvent) => void): void {
    this.#listeners.push(listener);
  }

  /** `{ fault: "add-latency", latency: "200ms", for: "30s" }` -> applied now. Throws FaultError, changing nothing. */
  inject(input: unknown): AppliedProxyFault {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new FaultError('expected a JSON object such as {"fault": "add-latency", "latency": "200ms"}');
    }
    const { fault, ...raw } = input as Record<string, unknown>;
    if (typeof fault !== 'string') throw new FaultError(`"fault" must name a fault (one of: ${proxyFaultNames.join(', ')})`);
    const definition = findProxyFault(fault);
    if (!definition) throw new FaultError(unknownProxyFault(fault));
    const checked = validateProxyFault(fault, raw);
    if (!checked.ok) throw new FaultError(formatProxyFaultProblems(fault, checked.problems));
    if (this.#active.size >= this.activeLimit) throw new FaultError(`too many active faults (${this.activeLimit}); revert some first`);

    const id = this.#nextId++;
    const revert = definition.apply(this.effects, checked.params, { random: new Random(this.seed, `proxy-fault-${id}`), id });
    const at = this.now();
    const record: AppliedProxyFault = { id, at, fault, params: checked.params as Record<string, unknown> };
    let timer: NodeJS.Timeout | undefined;
    if (checked.for !== undefined) {
      record.until = at + checked.for;
      timer = setTimeout(() => this.#revert(id), checked.for);
      timer.unref();
    }
    this.#active.set(id, { record, input: raw, revert, timer });
    this.#log.push(record);
    this.#trimLog();
    this.#emit({ kind: 'applied', record, input: raw });
    return { ...record };
  }

  /** Reverts an active fault now. Throws FaultError if there is no such fault or it was already reverted. */
  revert(id: number): AppliedProxyFault {
    const active = this.#active.get(id);
    if (!active) {
      const logged = this.#log.find((r) => r.id === id);
      throw new FaultError(logged ? `fault ${id} was already reverted` : `no fault ${id}`);
    }
    clearTimeout(active.timer);
    return this.#revert(id);
  }

  /** The log, oldest first (active faults are always in it). */
  list(): AppliedProxyFault[] {
    return this.#log.map((r) => ({ ...r }));
  }

  /** Reverts every active fault (the proxy is stopping). */
  revertAll(): void {
    for (const id of [...this.#active.keys()]) this.revert(id);
  }

  #revert(id: number): AppliedProxyFault {
    const active = this.#active.get(id)!;
    this.#active.delete(id);
    active.revert();
    active.record.reverted = this.now();
    this.#emit({ kind: 'reverted', record: active.record, input: active.input });
    return { ...active.record };
  }

  #trimLog(): void {
    while (this.#log.length > this.logLimit) {
      const i = this.#log.findIndex((r) => !this.#active.has(r.id));
      if (i < 0) break;
      this.#log.splice(i, 1);
    }
  }

  #emit(event: ProxyFaultEvent): void {
    for (const listener of this.#listeners) listener({ ...event, record: { ...event.record } });
  }
}
