// The health monitor is the only thing that enforces the queue timeout: every `monitorInterval` it
// cancels the tasks that waited at least `timeout` (504). Between sweeps, and whenever the monitor is
// broken, expired tasks stay in the queue and a free worker serves them anyway (DALL·E, March 2023).
import type { QueueConfig } from '../config/index.js';
import type { ScheduledEvent, Simulation } from './simulation.js';

export class HealthMonitor {
  #next: ScheduledEvent | undefined;
  #interval = 0;

  constructor(
    readonly sim: Simulation,
    readonly sweep: () => void,
  ) {}

  get running(): boolean {
    return this.#next !== undefined;
  }

  /** Starts, stops or re-times the sweeps; a (re)started monitor first sweeps one interval from now. */
  reconfigure(config: QueueConfig): void {
    const wanted = config.monitor && config.timeout !== undefined;
    if (!wanted) return this.stop();
    if (this.#next !== undefined && this.#interval === config.monitorInterval) return;
    this.stop();
    this.#interval = config.monitorInterval;
    this.#schedule();
  }

  stop(): void {
    this.#next?.cancel();
    this.#next = undefined;
  }

  #schedule(): void {
    this.#next = this.sim.after(this.#interval, () => {
      this.#schedule();
      this.sweep();
    });
  }
}
