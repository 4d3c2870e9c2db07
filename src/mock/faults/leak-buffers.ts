// Each request leaves more garbage on its router node (API, November 2023: a response buffer allocated
// per request instead of reused). Once per-node arrivals times bytes per request outrun the collector,
// nodes fill up and fail readiness one after another.
import { z } from 'zod';
import { mockValue } from '../config/index.js';
import { defineFault } from './fault.js';

export const leakBuffers = defineFault({
  name: 'leak-buffers',
  description: 'Multiply the garbage each request leaves on its router node (default ×10), or set it with bytesPerRequest.',
  example: 'leak-buffers factor=10',
  params: z
    .strictObject({
      factor: mockValue.positiveNumber('a factor above zero, such as 10').optional(),
      bytesPerRequest: mockValue.bytes().optional(),
    })
    .refine((p) => p.factor === undefined || p.bytesPerRequest === undefined, { message: 'give factor or bytesPerRequest, not both' }),
  apply(model, { factor, bytesPerRequest }) {
    if (!model.config.routers) throw new Error('needs router nodes, but the routers section is off');
    return model.overlay((c) => {
      if (!c.routers) throw new Error('the routers section is off');
      return { ...c, routers: { ...c.routers, bytesPerRequest: bytesPerRequest ?? c.routers.bytesPerRequest * (factor ?? 10) } };
    });
  },
});
