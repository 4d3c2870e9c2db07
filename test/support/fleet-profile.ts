// One steady phase against a fleet that is, or is not, big enough: 4 workers at 50 ms serve 80 req/s,
// 8 serve 160, and 100 req/s arrive. With 4 the queue fills to its 300 ms timeout and about a fifth are
// turned away (504), the successes' p99 near 350 ms; with 8 hardly anyone waits, p99 near 50 ms. The
// first phase lets the queue fill (in about a second) so that the phase compared, `load`, is one steady
// state. Speed 1, so that the host's stalls on a busy machine stay small beside those latencies (at
// --speed 2, with load average 10 on 2 cores, stalls doubled made the fast run's p99 as long as the slow
// one's in one run of three). The same seed, so the same arrivals: compare resamples their windows in pairs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes fleet-<workers>.yaml in `dir` and returns its path. */
export function writeFleetProfile(dir: string, workers: number): string {
  const file = join(dir, `fleet-${workers}.yaml`);
  writeFileSync(
    file,
    [
      `name: fleet-${workers}`,
      'description: one steady phase against a fleet that is, or is not, big enough.',
      'speed: 1',
      'seed: 11',
      'mock:',
      `  fleet: { workers: ${workers}, serviceTime: 50ms }`,
      '  queue: { timeout: 300ms, monitorInterval: 20ms }',
      'phases:',
      '  - { name: fill, duration: 1500ms, rate: 100/s }',
      '  - { name: load, duration: 4s, rate: 100/s }',
      '',
    ].join('\n'),
  );
  return file;
}
