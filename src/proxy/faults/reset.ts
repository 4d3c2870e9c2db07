// A share of requests has its client connection reset (a TCP RST) instead of an answer, at once or
// `after` a while: toxiproxy's reset_peer, per request. The client sees ECONNRESET; nothing reaches the upstream.
import { z } from 'zod';
import { defineProxyFault } from './fault.js';
import { proxyValue } from './values.js';

export const reset = defineProxyFault({
  name: 'reset',
  description: 'Reset the client connection of a share of requests (default all), at once or after a delay, instead of answering.',
  example: 'reset share=20% after=100ms',
  params: z.strictObject({
    share: proxyValue.share().default(1),
    after: proxyValue.duration().default(0),
  }),
  apply(effects, { share, after }, { random }) {
    return effects.add(effects.resets, { share, afterMs: after, random });
  },
});
