// The closed model: each closed-model phase starts its virtual users when it begins, and a user sends its
// next request when the previous one ends, for as long as its phase lasts (back to back, as wrk's and
// autocannon's connections do). With a request mix each user draws its classes from a stream of its own,
// so what a user sends does not depend on the others — nor on which segment of the run it is in (user j
// belongs to segment j mod n).
import { owns, WHOLE, type Segment } from '../../core/segment.js';
import type { Timebase } from '../../core/timebase.js';
import type { RequestClass } from '../../core/request.js';
import type { LogicalRequest } from '../../dispatch/logical-request.js';
import type { RequestDispatcher } from '../../dispatch/request-dispatcher.js';
import { ClassPicker } from '../../dispatch/request-mix.js';
import type { RunRecorder } from '../../record/run-recorder.js';
import type { PlacedPhase } from '../../schedule/phase.js';

export class ClosedDriver {
  readonly #phases: PlacedPhase[];
  /** Closed-model phases by their index in the run (a request knows its phase by index). */
  readonly #byIndex: (PlacedPhase | undefined)[] = [];
  readonly #mix: readonly RequestClass[] | undefined;
  readonly #seed: number;
  /** Each user's own class picker (made when the user first sends, only with a mix). */
  readonly #pickers: ClassPicker[] = [];
  readonly #segment: Segment;
  readonly #time: Timebase;
  readonly #recorder: RunRecorder;
  readonly #dispatcher: RequestDispatcher;
  /** The next closed-model phase to start. */
  #next = 0;
  #stopped = false;

  constructor(
    phases: readonly PlacedPhase[],
    options: {
      mix: readonly RequestClass[] | undefined;
      seed: number;
      timebase: Timebase;
      recorder: RunRecorder;
      dispatcher: RequestDispatcher;
      segment?: Segment;
    },
  ) {
    this.#phases = phases.filter((p) => p.kind === 'closed');
    for (const p of this.#phases) this.#byIndex[p.index] = p;
    this.#mix = options.mix && options.mix.length > 1 ? options.mix : undefined;
    this.#seed = options.seed;
    this.#segment = options.segment ?? WHOLE;
    this.#time = options.timebase;
    this.#recorder = options.recorder;
    this.#dispatcher = options.dispatcher;
  }

  /** Starts the users of every phase that has begun by incident time `nowMs` (and not yet ended). */
  startDue(nowMs: number, nowWall: number): void {
    while (!this.#stopped && this.#next < this.#phases.length && this.#phases[this.#next]!.startMs <= nowMs) {
      const p = this.#phases[this.#next++]!;
      if (p.kind === 'closed' && nowMs < p.endMs) for (let user = 0; user < p.vus; user++) if (owns(this.#segment, user)) this.#offer(p, user, nowWall);
    }
  }

  /** A request ended: its user, if its phase goes on, sends the next one now. */
  ended(request: LogicalRequest): void {
    if (this.#stopped || request.model !== 'closed') return;
    const phase = this.#byIndex[request.phase];
    if (phase && this.#time.incident(request.lastEndWall) < phase.endMs) this.#offer(phase, request.user, request.lastEndWall);
  }

  /** Incident time of the next phase to start, Infinity when none is left. */
  nextStartMs(): number {
    return this.#stopped ? Infinity : (this.#phases[this.#next]?.startMs ?? Infinity);
  }

  stop(): void {
    this.#stopped = true;
  }

  #offer(phase: PlacedPhase, user: number, nowWall: number): void {
    const cls = this.#mix ? (this.#pickers[user] ??= new ClassPicker(this.#mix, this.#seed, 'random', `request-mix/user/${user}`)).next() : 0;
    this.#recorder.offered(phase.index, this.#time.incident(nowWall), cls);
    this.#dispatcher.offerClosed(phase.index, nowWall, user, cls);
  }
}
