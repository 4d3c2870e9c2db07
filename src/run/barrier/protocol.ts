// The start barrier of a run split across processes or machines (ramp --segment i/n --barrier host:port):
// segment 0 serves it, every segment registers, and once all n have, each is told the same moment to
// start at, a little ahead so that the word reaches everyone first. This file is the contract both sides
// share: the path, the messages, the error.

/** `POST /barrier` with a Registration; 200 with a Release once all n are in. */
export const BARRIER_PATH = '/barrier';

/** Every answer carries it, so a client can tell the barrier from another server at the address. */
export const BARRIER_HEADER = 'incident-load-barrier';

export interface Registration {
  /** The run's identity (plan.ts runIdentity): segments of another run are refused. */
  run: string;
  index: number;
  count: number;
}

export interface Release {
  /** The common start, epoch ms and ISO 8601. */
  startAtMs: number;
  startAt: string;
}

/** Why this segment cannot start: the segments missing, another run, a refused token. */
export class BarrierError extends Error {
  constructor(
    message: string,
    /** The segments that never arrived, when that is the reason. */
    readonly missing: readonly number[] = [],
  ) {
    super(message);
    this.name = 'BarrierError';
  }
}

/** "segments 2, 3 of 4 did not reach the start barrier within 2m" */
export function missingMessage(missing: readonly number[], count: number, within: string): string {
  const which = `segment${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count}`;
  return `${which} did not reach the start barrier within ${within} (${missing.length > 1 ? 'their pods' : 'its pod'} never started, or cannot reach segment 0's)`;
}
