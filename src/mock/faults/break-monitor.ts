// The health monitor stops sweeping the queue (DALL·E: the pooling change broke it). Nothing enforces the
// queue timeout any more: expired tasks stay and are served anyway, for clients that are long gone.
import { z } from 'zod';
import { defineFault } from './fault.js';

export const breakMonitor = defineFault({
  name: 'break-monitor',
  description: 'Stop the health monitor: the queue timeout is no longer enforced and expired tasks get served anyway.',
  example: 'break-monitor for=1h',
  params: z.strictObject({}),
  apply(model) {
    return model.overlay((c) => ({ ...c, queue: { ...c.queue, monitor: false } }));
  },
});
