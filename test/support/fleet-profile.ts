// One steady phase against a fleet that is, or is not, big enough: 4 workers at 50 ms on average serve
// 80 req/s, 8 serve 160, and 100 req/s arrive. With 4 the queue fills to its 300 ms timeout and about a
// fifth are turned away (504), the successes' median near 300 ms; with 8 hardly anyone waits, median near
// 40 ms. The first phase lets the queue fill (in about a second) so that the phase compared, `load`, is
// one steady state, 10 s long (a thousand arrivals, enough for one run a side to call the fifth turned
// away real at the gate's 99%). Poisson arrivals and exponential service times, so that a seed is a different run
// (another seed, other arrivals and other service times), as reruns of a service are. Run in virtual time
// (--virtual) by the tests that judge it: exact, the same verdicts on any machine.
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
      'seed: 11',
      'client: { arrivals: poisson }',
      'mock:',
      `  fleet: { workers: ${workers}, serviceTime: exp:50ms }`,
      '  queue: { timeout: 300ms, monitorInterval: 20ms }',
      'phases:',
      '  - { name: fill, duration: 1500ms, rate: 100/s }',
      '  - { name: load, duration: 10s, rate: 100/s }',
      '',
    ].join('\n'),
  );
  return file;
}
