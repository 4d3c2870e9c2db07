// The queue timeout changes (DALL·E: cut from five minutes to one). The health monitor enforces it from
// its next sweep: tasks that have waited longer get 504.
import { z } from 'zod';
import { mockValue } from '../config/index.js';
import { defineFault } from './fault.js';

export const shortenTimeout = defineFault({
  name: 'shorten-timeout',
  description: 'Set the queue timeout: the health monitor answers 504 to tasks that waited longer.',
  example: 'shorten-timeout timeout=1m',
  params: z.strictObject({ timeout: mockValue.positiveDuration() }),
  apply(model, { timeout }) {
    return model.overlay((c) => ({ ...c, queue: { ...c.queue, timeout } }));
  },
});
