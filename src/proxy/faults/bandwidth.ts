// Response bodies flow at most `rate` bytes per second each (toxiproxy's bandwidth toxic, per response),
// the upstream paused meanwhile. With several, the lowest rate holds.
import { z } from 'zod';
import { defineProxyFault } from './fault.js';
import { proxyValue } from './values.js';

export const bandwidth = defineProxyFault({
  name: 'bandwidth',
  description: 'Send every response body at most this many bytes per second (per response).',
  example: 'bandwidth rate=64KB/s',
  params: z.strictObject({ rate: proxyValue.byteRate() }),
  apply(effects, { rate }) {
    return effects.add(effects.bandwidth, { bytesPerSecond: rate });
  },
});
