// Any config change, as a fault: `{ "fault": "set", "fleet.workers": 8, "queue.order": "lifo" }`. Keys
// are the paths `--mock` accepts; values are read the same way ("1m", "exp:100ms", "off").
import { z } from 'zod';
import { applyMockOverride, parseMockOverride } from '../config/index.js';
import { defineFault } from './fault.js';

export const set = defineFault({
  name: 'set',
  description: 'Change any mock setting by its path, e.g. fleet.workers=8 queue.order=lifo routers=off.',
  example: 'set fleet.workers=8 queue.timeout=1m',
  params: z.record(z.string(), z.unknown()).superRefine((params, ctx) => {
    const paths = Object.keys(params);
    if (paths.length === 0) ctx.addIssue({ code: 'custom', message: 'give at least one setting, e.g. fleet.workers=8' });
    for (const path of paths) {
      try {
        parseMockOverride(path, params[path]);
      } catch (err) {
        const message = (err as Error).message;
        ctx.addIssue({ code: 'custom', path: [path], message: message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message });
      }
    }
  }),
  apply(model, params) {
    return model.overlay((c) => Object.entries(params).reduce((config, [path, value]) => applyMockOverride(config, path, value), c));
  },
});
