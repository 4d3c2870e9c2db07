// The open model: arrivals at their intended times from the seeded schedule, each with its class of the
// request mix, handed to the dispatcher the moment they are due — never early; late ones are measured as
// send lag and their latency still counts from the intended time. A segment of the run walks the whole
// schedule, drawing every arrival's class as the whole run does, and sends the arrivals it owns (k mod n).
import { owns, WHOLE, type Segment } from '../../core/segment.js';
import type { Timebase } from '../../core/timebase.js';
import type { RequestDispatcher } from '../../dispatch/request-dispatcher.js';
import type { ClassPicker } from '../../dispatch/request-mix.js';
import type { RunRecorder } from '../../record/run-recorder.js';
import { ArrivalSchedule, type ArrivalProcess } from '../../schedule/arrival-schedule.js';
import type { Phase } from '../../schedule/phase.js';

/**
 * Arrivals sent in one turn of the loop before it yields to I/O (signals included), even when more are
 * already due: at an absurd rate the schedule is always behind, and a loop that never yields ignores
 * SIGTERM. Far above what a real rate puts in one turn (10k/s is ~10 per millisecond tick).
 */
const ARRIVALS_PER_TURN = 1024;

export class OpenDriver {
  readonly #schedule: ArrivalSchedule;
  readonly #classes: ClassPicker;
  readonly #time: Timebase;
  readonly #segment: Segment;
  /** Incident ms of the next arrival, Infinity when the schedule is over (or stopped). */
  #next: number;
  /** Its index in the whole run's schedule. */
  #k = 0;

  constructor(phases: readonly Phase[], options: { arrivals: ArrivalProcess; seed: number; classes: ClassPicker; timebase: Timebase; segment?: Segment }) {
    this.#schedule = new ArrivalSchedule(phases, { arrivals: options.arrivals, seed: options.seed });
    this.#classes = options.classes;
    this.#time = options.timebase;
    this.#segment = options.segment ?? WHOLE;
    this.#next = this.#schedule.next();
  }

  /** Offers every arrival due by incident time `nowMs` that this segment owns, in order; at most ARRIVALS_PER_TURN per turn. */
  offerDue(nowMs: number, recorder: RunRecorder, dispatcher: RequestDispatcher): void {
    for (let batch = ARRIVALS_PER_TURN; this.#next <= nowMs && batch > 0; batch--) {
      const phase = this.#schedule.phase;
      const cls = this.#classes.next();
      if (owns(this.#segment, this.#k++)) {
        recorder.offered(phase, this.#next, cls);
        dispatcher.offerOpen(phase, this.#time.wall(this.#next), cls);
      }
      this.#next = this.#schedule.next();
    }
  }

  /** Whether arrivals due by `nowMs` are still waiting (the last turn's batch was full). */
  behind(nowMs: number): boolean {
    return this.#next <= nowMs;
  }

  /** Wall time of the next arrival, Infinity when there is none. */
  nextWall(): number {
    return this.#time.wall(this.#next);
  }

  stop(): void {
    this.#next = Infinity;
  }
}
