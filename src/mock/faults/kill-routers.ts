// Router nodes fail readiness now: their in-flight requests get 502 and they leave rotation. They come
// back after routers.restartAfter (+ jitter) like any failed node; with `for`, they stay down until the
// fault reverts. Reverting (DELETE) brings back any that are still down.
import { z } from 'zod';
import { mockValue } from '../config/index.js';
import { defineFault } from './fault.js';

export const killRouters = defineFault({
  name: 'kill-routers',
  description: 'Fail router nodes now (in-flight requests get 502); count=N or count=all.',
  example: 'kill-routers count=2',
  params: z.strictObject({
    count: z.union([z.literal('all'), mockValue.wholeNumber(1, 10_000)]),
  }),
  apply(model, { count }, options) {
    const routers = model.config.routers;
    if (!routers) throw new Error('needs router nodes, but the routers section is off');
    const nodes = model.routerNodes();
    if (count !== 'all' && count > nodes) throw new Error(`count=${count} is more than the ${nodes} router nodes`);
    const killed = model.killRouters(count, options.for !== undefined);
    return () => model.startRouters(killed);
  },
});
