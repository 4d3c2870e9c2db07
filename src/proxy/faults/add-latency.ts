// A share of requests is held back by `latency` ± `jitter` (uniform), on the way to the upstream
// (direction=request) or on the way back, before the response headers (direction=response, the
// default): toxiproxy's latency toxic, per request. Faults add up: two of 100ms add 200ms.
import { z } from 'zod';
import { defineProxyFault } from './fault.js';
import { proxyValue } from './values.js';

export const addLatency = defineProxyFault({
  name: 'add-latency',
  description: 'Delay a share of requests (default all) by latency ± jitter (uniform), before forwarding them or before their response.',
  example: 'add-latency latency=200ms jitter=50ms direction=response share=100%',
  params: z.strictObject({
    latency: proxyValue.duration(),
    jitter: proxyValue.duration().default(0),
    direction: proxyValue.oneOf(['request', 'response'] as const).default('response'),
    share: proxyValue.share().default(1),
  }),
  apply(effects, { latency, jitter, direction, share }, { random }) {
    return effects.add(effects.latency, { latencyMs: latency, jitterMs: jitter, direction, share, random });
  },
});
