// Builds a model from a profile-style `mock:` section, as a profile author would write it.
import { mockConfigSchema } from '../../../src/mock/config/index.js';
import { SimulatedService } from '../../../src/mock/model/simulated-service.js';
import { Recorder } from './drive.js';

export function model(mock: unknown, seed = 1): { service: SimulatedService; rec: Recorder } {
  const service = new SimulatedService(mockConfigSchema.parse(mock), { seed });
  return { service, rec: new Recorder(service) };
}
