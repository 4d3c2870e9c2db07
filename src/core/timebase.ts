// Two clocks run through a run: wall time (performance.now(), what timers and sockets see) and incident
// time (the scenario's, wall × speed since the run began). Everything a person reads is incident time;
// everything the dispatcher waits on is wall time. Names say which (`…WallMs`, `…Ms` for incident) and
// every conversion goes through here.
export class Timebase {
  constructor(
    /** performance.now() when the run began: incident time 0. */
    readonly t0Wall: number,
    /** Incident ms per wall ms. */
    readonly speed: number,
  ) {}

  /** Incident ms since the start of the run, at wall time `wall`. */
  incident(wall: number): number {
    return (wall - this.t0Wall) * this.speed;
  }

  /** The wall time of incident time `incidentMs`. */
  wall(incidentMs: number): number {
    return this.t0Wall + incidentMs / this.speed;
  }

  /** How long `incidentMs` of incident time lasts on the wall. */
  wallDuration(incidentMs: number): number {
    return incidentMs / this.speed;
  }

  /** How much incident time `wallMs` of wall time is. */
  incidentDuration(wallMs: number): number {
    return wallMs * this.speed;
  }
}
