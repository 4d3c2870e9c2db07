// A token bucket in front of the upstream: `rate` requests per second, bursts of up to `burst`; a request
// that finds no token gets 429 with Retry-After (the whole seconds until the next token, at least 1), as
// the mock's edge rate limiter answers (its `rateLimit` section, set by the api-2023-11 replay).
import { z } from 'zod';
import { TokenBucket } from '../../core/token-bucket.js';
import { defineProxyFault } from './fault.js';
import { proxyValue } from './values.js';

export const rateLimit = defineProxyFault({
  name: 'rate-limit',
  description: 'Let through at most `rate` requests per second (bursts up to `burst`, default one second’s worth); the rest get 429 with Retry-After.',
  example: 'rate-limit rate=50/s burst=10',
  params: z.strictObject({
    rate: proxyValue.requestRate(),
    burst: proxyValue.wholeNumber(1, 1_000_000).optional(),
  }),
  apply(effects, { rate, burst }, { id }) {
    const bucket = new TokenBucket(rate, burst ?? Math.max(1, Math.floor(rate)), performance.now());
    return effects.add(effects.rateLimits, { id, bucket });
  },
});
