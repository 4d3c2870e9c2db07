// The proxy gives up on the upstream after `timeout` without its response headers and answers 504 (the
// mock's shorten-timeout cuts its queue timeout; here it is the deadline a gateway in front of the
// service keeps). It runs from when the request is forwarded; once headers have come, it no longer applies.
import { z } from 'zod';
import { defineProxyFault } from './fault.js';
import { proxyValue } from './values.js';

export const shortenTimeout = defineProxyFault({
  name: 'shorten-timeout',
  description: 'Give up on the upstream after this long without response headers: 504.',
  example: 'shorten-timeout timeout=500ms',
  params: z.strictObject({ timeout: proxyValue.positiveDuration() }),
  apply(effects, { timeout }) {
    return effects.add(effects.timeouts, { timeoutMs: timeout });
  },
});
