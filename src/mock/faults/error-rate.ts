// A share of requests is answered with an error status at once, after routing and before admission
// (toxiproxy's `toxicity`, for HTTP): they never reach the queue or a worker.
import { z } from 'zod';
import { mockValue } from '../config/index.js';
import { defineFault } from './fault.js';

export const errorRate = defineFault({
  name: 'error-rate',
  description: 'Answer a share of requests with an error status (default 500) before they reach the queue.',
  example: 'error-rate rate=10% status=503',
  params: z.strictObject({
    rate: mockValue.share(),
    status: mockValue.wholeNumber(400, 599).default(500),
  }),
  apply(model, { rate, status }) {
    return model.overlay((c) => ({ ...c, errors: { rate, status } }));
  },
});
