// One request as the user means it: retries are attempts of it, and it ends in one outcome. Open-model
// requests come from the arrival schedule; closed-model ones from a virtual user, who sends the next one
// when this one ends. The two are told apart by `model`, so no field needs a sentinel.
import type { Outcome } from './outcome.js';

abstract class RequestState {
  attempts = 0;
  /** Wall ms: when its latest attempt went out, and when its last outcome came (or its deadline passed). */
  lastSentWall = 0;
  lastEndWall = 0;
  /** Its latest attempt's outcome; the final one once the dispatcher reports it. */
  outcome: Outcome | null = null;

  constructor(
    /** Index of the phase of its first intended send. */
    readonly phase: number,
    /** Wall ms it was meant to go out: latency runs from here. */
    readonly intendedWall: number,
    /** Its class in the request mix (0 without one). */
    readonly cls: number,
  ) {}
}

export class OpenRequest extends RequestState {
  readonly model = 'open' as const;
}

export class ClosedRequest extends RequestState {
  readonly model = 'closed' as const;

  constructor(
    phase: number,
    intendedWall: number,
    cls: number,
    /** The virtual user that sent it. */
    readonly user: number,
  ) {
    super(phase, intendedWall, cls);
  }
}

export type LogicalRequest = OpenRequest | ClosedRequest;
