// Applies faults to a running model, keeps their log, and reverts them: on request (DELETE) or by
// themselves after `for` (an event in virtual time, so `for: 1h` at speed 60 lasts one wall minute).
import type { SimulatedService } from '../model/simulated-service.js';
import type { ScheduledEvent } from '../model/simulation.js';
import type { FaultDefinition, Revert } from './fault.js';
import { faultDefinitions, formatFaultProblems, validateFault } from './registry.js';

/** One applied fault, as `GET /faults` and `/state` show it. Times are virtual (incident) ms. */
export interface AppliedFault {
  id: number;
  at: number;
  fault: string;
  /** The params as parsed: durations in ms, sizes in bytes, shares in 0..1. */
  params: Record<string, unknown>;
  /** When it reverts itself (at + for). */
  until?: number;
  /** When it was reverted. */
  reverted?: number;
}

export interface FaultEvent {
  kind: 'applied' | 'reverted';
  record: AppliedFault;
  /** The params as they were given (e.g. "1m" rather than 60000), with `for`: for logs people read. */
  input: Record<string, unknown>;
}

/** A fault that cannot be applied (bad name, bad params, does not fit this mock): HTTP 400. */
export class FaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultError';
  }
}

interface Active {
  record: AppliedFault;
  input: Record<string, unknown>;
  revert: Revert;
  timer: ScheduledEvent | undefined;
}

export interface FaultInjectorOptions {
  /** Most log entries kept; the oldest reverted ones go first. */
  logLimit?: number;
  /** Most faults active at once (beyond it, new faults are refused). */
  activeLimit?: number;
  definitions?: readonly FaultDefinition[];
}

export class FaultInjector {
  #log: AppliedFault[] = [];
  #active = new Map<number, Active>();
  #nextId = 1;
  #listeners: ((event: FaultEvent) => void)[] = [];
  readonly #logLimit: number;
  readonly #activeLimit: number;
  readonly #definitions: readonly FaultDefinition[];

  constructor(
    readonly model: SimulatedService,
    options: FaultInjectorOptions = {},
  ) {
    this.#logLimit = options.logLimit ?? 1000;
    this.#activeLimit = options.activeLimit ?? 500;
    this.#definitions = options.definitions ?? faultDefinitions;
  }

  onEvent(listener: (event: FaultEvent) => void): void {
    this.#listeners.push(listener);
  }

  /** `{ fault: "shrink-fleet", workers: 4, for: "30s" }` -> applied now. Throws FaultError, changing nothing. */
  inject(input: unknown): AppliedFault {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new FaultError('expected a JSON object such as {"fault": "shrink-fleet", "workers": 4}');
    }
    const { fault, ...raw } = input as Record<string, unknown>;
    if (typeof fault !== 'string') throw new FaultError(`"fault" must name a fault (one of: ${this.#definitions.map((d) => d.name).join(', ')})`);
    const definition = this.#definitions.find((d) => d.name === fault);
    const checked = validateFault(fault, raw);
    if (!definition) throw new FaultError(`unknown fault ${JSON.stringify(fault)} (known: ${this.#definitions.map((d) => d.name).join(', ')})`);
    if (!checked.ok) throw new FaultError(formatFaultProblems(fault, checked.problems));
    if (this.#active.size >= this.#activeLimit) throw new FaultError(`too many active faults (${this.#activeLimit}); revert some first`);

    let revert: Revert;
    try {
      revert = definition.apply(this.model, checked.params, checked.for === undefined ? {} : { for: checked.for });
    } catch (err) {
      throw new FaultError(`${fault}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const at = this.model.now;
    const record: AppliedFault = { id: this.#nextId++, at, fault, params: checked.params as Record<string, unknown> };
    let timer: ScheduledEvent | undefined;
    if (checked.for !== undefined) {
      record.until = at + checked.for;
      timer = this.model.sim.at(record.until, () => this.#revert(record.id));
    }
    this.#active.set(record.id, { record, input: raw, revert, timer });
    this.#log.push(record);
    this.#trimLog();
    this.#emit({ kind: 'applied', record, input: raw });
    return { ...record };
  }

  /** Reverts an active fault now. Throws FaultError if there is no such fault or it was already reverted. */
  revert(id: number): AppliedFault {
    const active = this.#active.get(id);
    if (!active) {
      const logged = this.#log.find((r) => r.id === id);
      throw new FaultError(logged ? `fault ${id} was already reverted` : `no fault ${id}`);
    }
    active.timer?.cancel();
    return this.#revert(id);
  }

  /** The log, oldest first (active faults are always in it). */
  list(): AppliedFault[] {
    return this.#log.map((r) => ({ ...r }));
  }

  isActive(id: number): boolean {
    return this.#active.has(id);
  }

  /** Forgets every fault without reverting (the model is being reset underneath). */
  reset(): void {
    for (const active of this.#active.values()) active.timer?.cancel();
    this.#active.clear();
    this.#log = [];
  }

  #revert(id: number): AppliedFault {
    const active = this.#active.get(id)!;
    this.#active.delete(id);
    active.revert();
    active.record.reverted = this.model.now;
    this.#emit({ kind: 'reverted', record: active.record, input: active.input });
    return { ...active.record };
  }

  #trimLog(): void {
    while (this.#log.length > this.#logLimit) {
      const i = this.#log.findIndex((r) => !this.#active.has(r.id));
      if (i < 0) break;
      this.#log.splice(i, 1);
    }
  }

  #emit(event: FaultEvent): void {
    for (const listener of this.#listeners) listener({ ...event, record: { ...event.record } });
  }
}
