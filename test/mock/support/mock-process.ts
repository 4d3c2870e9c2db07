// Starts the real mock process for a test and always stops it.
import { onTestFinished } from 'vitest';
import { mockConfigSchema } from '../../../src/mock/config/index.js';
import { startMock, type RunningMock } from '../../../src/mock/launch.js';

export async function launch(mock: unknown, options: { speed?: number; seed?: number } = {}): Promise<RunningMock> {
  const running = await startMock({ config: mockConfigSchema.parse(mock), speed: options.speed ?? 1, seed: options.seed ?? 1 });
  onTestFinished(() => running.stop());
  return running;
}
