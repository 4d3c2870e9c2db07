// Draws service times from the configured distribution, on its own random stream.
import type { ServiceTime } from '../config/index.js';
import type { Random } from '../../core/random.js';

export class ServiceTimeSampler {
  constructor(readonly random: Random) {}

  /** Incident ms of work for one task. */
  sample(s: ServiceTime): number {
    switch (s.dist) {
      case 'constant':
        return s.mean;
      case 'exp':
        return this.random.exponential(s.mean);
      case 'lognormal':
        return this.random.lognormal(s.mean, s.sigma);
      case 'uniform':
        return this.random.uniform(s.min, s.max);
    }
  }
}
