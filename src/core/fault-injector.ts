// Applies faults, keeps their log, and reverts them: on request (DELETE) or by themselves after `for`.
// One mechanism for the mock and the proxy: what differs is where a fault acts (the mock's model, the
// proxy's live traffic: `apply`), which faults there are (`catalogue`) and whose time it is (`clock`: the
// mock's virtual time, so `for: 1h` at speed 60 lasts one wall minute; the wall's for the proxy, since a
// real service keeps the wall's time).
import type { z } from 'zod';
import { formatFaultProblems, type FaultValidation } from './fault-check.js';

/** Undoes one applied fault. */
export type Revert = () => void;

/**
 * What a fault is, wherever it acts, in the manner of toxiproxy's toxics: a name, a one-sentence
 * description (for `--help`, the docs and error messages), a CLI example, a strict params schema (unknown
 * keys are errors; `for` is not part of it: the injector takes it off first), and `apply`, which makes it
 * take effect on `T` at once and returns its undo — told `C` besides the params.
 */
export interface FaultDefinitionOf<T, C, P = unknown> {
  readonly name: string;
  readonly description: string;
  readonly example: string;
  readonly params: z.ZodType<P, unknown>;
  apply(target: T, params: P, context: C): Revert;
}

/** One applied fault, as `GET /faults` and `/state` show it. Times are the clock's ms. */
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

/** A fault that cannot be applied (bad name, bad params, does not fit what it would act on): HTTP 400. */
export class FaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultError';
  }
}

/** Whose time the faults keep. */
export interface FaultClock {
  now(): number;
  /** Calls `fn` at `t` (the clock's ms); the handle cancels it. */
  at(t: number, fn: () => void): { cancel(): void };
}

/** Which faults there are, and how one is checked. */
export interface FaultCatalogue<D> {
  readonly names: readonly string[];
  find(name: string): D | undefined;
  /** Why `name` is not a fault here. */
  unknown(name: string): string;
  validate(name: string, raw: Record<string, unknown>): FaultValidation;
  /** A fault as JSON, for the message on a body that is not an object. */
  readonly example: string;
}

/** What `apply` is told besides the params. */
export interface ApplyContext {
  /** The fault's id, as its log entry will have it. */
  id: number;
  /** Its `for:` in the clock's ms, when it reverts itself. */
  for?: number;
}

export interface FaultInjectorOptions {
  /** Most log entries kept; the oldest reverted ones go first. */
  logLimit?: number;
  /** Most faults active at once (beyond it, new faults are refused). */
  activeLimit?: number;
}

interface Active {
  record: AppliedFault;
  input: Record<string, unknown>;
  revert: Revert;
  timer: { cancel(): void } | undefined;
}

export class FaultInjector<D> {
  #log: AppliedFault[] = [];
  readonly #active = new Map<number, Active>();
  #nextId = 1;
  readonly #listeners: ((event: FaultEvent) => void)[] = [];
  readonly #logLimit: number;
  readonly #activeLimit: number;

  constructor(
    readonly catalogue: FaultCatalogue<D>,
    readonly clock: FaultClock,
    /** Makes the fault take effect now and returns its undo; throws, changing nothing, when it cannot. */
    readonly apply: (definition: D, params: unknown, context: ApplyContext) => Revert,
    options: FaultInjectorOptions = {},
  ) {
    this.#logLimit = options.logLimit ?? 1000;
    this.#activeLimit = options.activeLimit ?? 500;
  }

  get activeCount(): number {
    return this.#active.size;
  }

  onEvent(listener: (event: FaultEvent) => void): void {
    this.#listeners.push(listener);
  }

  /** `{ fault: "shrink-fleet", workers: 4, for: "30s" }` -> applied now. Throws FaultError, changing nothing. */
  inject(input: unknown): AppliedFault {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FaultError(`expected a JSON object such as ${this.catalogue.example}`);
    const { fault, ...raw } = input as Record<string, unknown>;
    if (typeof fault !== 'string') throw new FaultError(`"fault" must name a fault (one of: ${this.catalogue.names.join(', ')})`);
    const definition = this.catalogue.find(fault);
    if (definition === undefined) throw new FaultError(this.catalogue.unknown(fault));
    const checked = this.catalogue.validate(fault, raw);
    if (!checked.ok) throw new FaultError(formatFaultProblems(fault, checked.problems));
    if (this.#active.size >= this.#activeLimit) throw new FaultError(`too many active faults (${this.#activeLimit}); revert some first`);

    // The id is taken only once the fault is in: a refused fault leaves no gap in the log's ids.
    const id = this.#nextId;
    let revert: Revert;
    try {
      revert = this.apply(definition, checked.params, checked.for === undefined ? { id } : { id, for: checked.for });
    } catch (err) {
      throw new FaultError(`${fault}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.#nextId++;
    const at = this.clock.now();
    const record: AppliedFault = { id, at, fault, params: checked.params as Record<string, unknown> };
    let timer: { cancel(): void } | undefined;
    if (checked.for !== undefined) {
      record.until = at + checked.for;
      timer = this.clock.at(record.until, () => this.#revert(id));
    }
    this.#active.set(id, { record, input: raw, revert, timer });
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

  /** Reverts every active fault (the program is stopping). */
  revertAll(): void {
    for (const id of [...this.#active.keys()]) this.revert(id);
  }

  /** Forgets every fault without reverting (what they acted on is being reset underneath). */
  reset(): void {
    for (const active of this.#active.values()) active.timer?.cancel();
    this.#active.clear();
    this.#log = [];
  }

  #revert(id: number): AppliedFault {
    const active = this.#active.get(id)!;
    this.#active.delete(id);
    active.revert();
    active.record.reverted = this.clock.now();
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
