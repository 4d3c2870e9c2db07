// The problems the mock's config schema finds in a `mock:` section, as "path: message" lines.
import { expect } from 'vitest';
import { mockConfigSchema } from '../../../src/mock/config/index.js';

export function configIssues(mock: unknown): string[] {
  const result = mockConfigSchema.safeParse(mock);
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
