// At most `connections` requests on their way to the upstream at once: the rest wait in a queue of at
// most `queue`, each for at most `timeout`, then get 503 (queue full) or 504 (waited too long), as the
// mock's admission and queue timeout answer. The mock's cap-connections caps its database connections;
// in front of a real service the proxy caps what reaches it. Reverting it lets every waiter through.
import { z } from 'zod';
import { ConnectionCap } from '../connection-cap.js';
import { defineProxyFault } from './fault.js';
import { proxyValue } from './values.js';

export const capConnections = defineProxyFault({
  name: 'cap-connections',
  description: 'Let at most N requests reach the upstream at once; the rest queue (bounded), then 503 when the queue is full or 504 after the timeout.',
  example: 'cap-connections connections=10 queue=100 timeout=5s',
  params: z.strictObject({
    connections: proxyValue.wholeNumber(0, 1_000_000),
    queue: proxyValue.wholeNumber(0, 1_000_000).default(1000),
    timeout: proxyValue.positiveDuration().default(10_000),
  }),
  apply(effects, { connections, queue, timeout }) {
    const cap = new ConnectionCap(connections, queue, timeout);
    return effects.add(effects.caps, cap, () => cap.open());
  },
});
