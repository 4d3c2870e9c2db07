// Outcomes as tests write them: a status, or status 0 with an error kind (as the old recorder API took them).
import { errorOutcome, statusOutcome, type Outcome } from '../../src/dispatch/outcome.js';

export function outcomeOf(status: number, error?: string): Outcome {
  return status > 0 ? statusOutcome(status) : errorOutcome(error ?? 'unknown');
}
