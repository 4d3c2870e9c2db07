// Every response is held back by `latency` ± `jitter` (uniform), after the work is done, without holding
// a worker (toxiproxy's latency toxic). Faults add up: two add-latency faults of 100ms add 200ms.
import { z } from 'zod';
import { mockValue } from '../config/index.js';
import { defineFault } from './fault.js';

export const addLatency = defineFault({
  name: 'add-latency',
  description: 'Delay every response by latency ± jitter (uniform), without holding a worker.',
  example: 'add-latency latency=200ms jitter=50ms',
  params: z.strictObject({
    latency: mockValue.duration(),
    jitter: mockValue.duration().default(0),
  }),
  apply(model, { latency, jitter }) {
    return model.overlay((c) => ({
      ...c,
      latency: { add: (c.latency?.add ?? 0) + latency, jitter: (c.latency?.jitter ?? 0) + jitter },
    }));
  },
});
