// Where processes run. On a machine with two or more cores the generator (incident-load, autocannon,
// wrk) is pinned to CPU 0 and the target to CPU 1 with taskset, so that every tool gets the same one
// core, the target never steals from the generator, and repetitions are comparable. Without taskset
// (or with one core) nothing is pinned and results.md says so.
import { availableParallelism } from 'node:os';
import { which } from './which.js';

const cores = availableParallelism();
const taskset = cores >= 2 ? which('taskset') : undefined;

export const GENERATOR_CPU = 0;
export const TARGET_CPU = 1;
/** Every core, for a generator that is to use them all (scale-out); the target then shares one of them. */
export const ALL_CPUS = Array.from({ length: cores }, (_, i) => i).join(',');

export const placement = {
  cores,
  pinned: Boolean(taskset),
  describe() {
    return taskset
      ? `generator pinned to CPU ${GENERATOR_CPU}, target to CPU ${TARGET_CPU} (taskset); the bench's own process is idle while a tool runs`
      : `not pinned (${cores < 2 ? 'one core' : 'taskset not found'}): generator and target share the cores`;
  },
};

/** [command, args] that run `command args` on `cpu` when pinning is possible, as is otherwise. */
export function onCpu(cpu, command, args) {
  if (!taskset) return [command, args];
  return [taskset, ['-c', String(cpu), command, ...args]];
}
