// A run's live numbers, as the progress line shows them while it goes.
import type { TimelineWindow } from './run-result.js';

export interface RunProgress {
  incidentMs: number;
  totalMs: number;
  phase: string;
  offered: number;
  ok: number;
  failed: number;
  dropped: number;
  inFlight: number;
  /** The last closed timeline window, if any. */
  window: TimelineWindow | undefined;
  draining: boolean;
}
