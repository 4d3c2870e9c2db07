// The fleet shrinks to `workers` (DALL·E: "we downsized the DALL·E fleet"). Tasks in service on removed
// workers finish first; only then do those workers go.
import { z } from 'zod';
import { mockValue } from '../config/index.js';
import { defineFault } from './fault.js';

export const shrinkFleet = defineFault({
  name: 'shrink-fleet',
  description: 'Set the number of workers (tasks in service on removed workers finish first).',
  example: 'shrink-fleet workers=4',
  params: z.strictObject({ workers: mockValue.wholeNumber(0, 100_000) }),
  apply(model, { workers }) {
    return model.overlay((c) => ({ ...c, fleet: { ...c.fleet, workers } }));
  },
});
