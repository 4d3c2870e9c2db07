// A share of requests is answered by the proxy with an error status, never reaching the upstream (the
// mock's error-rate, for real traffic; toxiproxy's `toxicity` at HTTP level), optionally with Retry-After.
import { z } from 'zod';
import { defineProxyFault } from './fault.js';
import { proxyValue } from './values.js';

export const errorRate = defineProxyFault({
  name: 'error-rate',
  description: 'Answer a share of requests with an error status (default 500), optionally with Retry-After, without forwarding them.',
  example: 'error-rate rate=10% status=503 retryAfter=2s',
  params: z.strictObject({
    rate: proxyValue.share(),
    status: proxyValue.wholeNumber(400, 599).default(500),
    retryAfter: proxyValue.duration().optional(),
  }),
  apply(effects, { rate, status, retryAfter }, { random, id }) {
    const retryAfterS = retryAfter === undefined ? undefined : Math.ceil(retryAfter / 1000);
    return effects.add(effects.errors, { id, rate, status, retryAfterS, random });
  },
});
