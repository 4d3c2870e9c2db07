// The database accepts only `connections` connections. Without pooling that caps the workers that can
// run at all (DALL·E: scaling up hit the connection limit); with pooling it caps the pool.
import { z } from 'zod';
import { applyMockOverride, mockValue } from '../config/index.js';
import { defineFault } from './fault.js';

export const capConnections = defineFault({
  name: 'cap-connections',
  description: 'Cap database connections: without pooling at most that many workers run; with pooling the pool shrinks.',
  example: 'cap-connections connections=10',
  params: z.strictObject({ connections: mockValue.wholeNumber(0, 1_000_000) }),
  apply(model, { connections }) {
    // Through applyMockOverride so a mock without a db section gets one (no pooling) with this cap.
    return model.overlay((c) => applyMockOverride(c, 'db.maxConnections', connections));
  },
});
