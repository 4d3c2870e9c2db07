// A share of requests is read and never answered (toxiproxy's timeout toxic): the client waits until its
// own timeout, or until `timeout` here closes the connection. The proxy holds nothing once the client
// leaves, and when the fault is reverted every connection it still holds is closed.
import { z } from 'zod';
import { defineProxyFault } from './fault.js';
import { proxyValue } from './values.js';

export const blackhole = defineProxyFault({
  name: 'blackhole',
  description: 'Accept a share of requests (default all) and never answer them; close the connection after `timeout` if given.',
  example: 'blackhole share=10% timeout=30s',
  params: z.strictObject({
    share: proxyValue.share().default(1),
    timeout: proxyValue.duration().default(0),
  }),
  apply(effects, { share, timeout }, { random }) {
    const held = new Set<() => void>();
    return effects.add(effects.blackholes, { share, timeoutMs: timeout, random, held }, () => {
      for (const release of [...held]) release();
    });
  },
});
