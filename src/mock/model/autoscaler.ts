// Horizontal autoscaling in the manner of Kubernetes' HPA: every `interval` it reads the fleet's mean
// utilisation over that interval and wants ceil(workers * utilisation / target) workers, within
// [min, max], ignoring changes within 10% of the target. New workers start taking tasks only after
// `provisionDelay`; scaling down is immediate (busy workers retire when their task is done).
import type { AutoscaleConfig } from '../config.js';
import type { Fleet } from './fleet.js';
import type { ScheduledEvent, Simulation } from './simulation.js';

const TOLERANCE = 0.1;

export class Autoscaler {
  #config: AutoscaleConfig | undefined;
  #tick: ScheduledEvent | undefined;
  #provisioning: ScheduledEvent[] = [];

  constructor(
    readonly sim: Simulation,
    readonly fleet: Fleet,
    /** Called when provisioned workers join, so queued work can start. */
    readonly workersAdded: () => void,
    /** Whether tasks wait for a worker (a fleet of zero has no utilisation to read). */
    readonly hasBacklog: () => boolean,
  ) {}

  /** Workers decided on but not yet provisioned. */
  get provisioning(): number {
    return this.#provisioning.length;
  }

  reconfigure(config: AutoscaleConfig | undefined): void {
    const same = config && this.#config && JSON.stringify(config) === JSON.stringify(this.#config);
    this.#config = config;
    if (same) return;
    this.#tick?.cancel();
    this.#tick = undefined;
    if (!config) {
      this.#cancelProvisioning(this.#provisioning.length);
      return;
    }
    this.fleet.takeUtilisation(this.sim.now);
    this.#schedule(config);
  }

  #schedule(config: AutoscaleConfig): void {
    this.#tick = this.sim.after(config.interval, () => {
      this.#schedule(config);
      this.#decide(config);
    });
  }

  #decide(config: AutoscaleConfig): void {
    const current = this.fleet.workers;
    const utilisation = this.fleet.takeUtilisation(this.sim.now);
    let desired: number;
    if (current === 0) desired = this.hasBacklog() ? 1 : 0;
    else if (Math.abs(utilisation / config.targetUtilization - 1) <= TOLERANCE) desired = current;
    else desired = Math.ceil((current * utilisation) / config.targetUtilization);
    desired = Math.min(config.max, Math.max(config.min, desired));

    const planned = current + this.#provisioning.length;
    if (desired > planned) {
      for (let i = planned; i < desired; i++) this.#provision(config);
    } else if (desired < planned) {
      const cancel = Math.min(this.#provisioning.length, planned - desired);
      this.#cancelProvisioning(cancel);
      if (desired < current) this.fleet.setWorkers(desired, this.sim.now);
    }
  }

  #provision(config: AutoscaleConfig): void {
    const event = this.sim.after(config.provisionDelay, () => {
      this.#provisioning = this.#provisioning.filter((e) => e !== event);
      this.fleet.setWorkers(this.fleet.workers + 1, this.sim.now);
      this.workersAdded();
    });
    this.#provisioning.push(event);
  }

  #cancelProvisioning(count: number): void {
    for (const event of this.#provisioning.splice(this.#provisioning.length - count, count)) event.cancel();
  }
}
