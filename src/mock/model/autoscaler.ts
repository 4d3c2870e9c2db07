// Horizontal autoscaling in the manner of Kubernetes' HPA, for whatever it is given to scale (the worker
// fleet, the router nodes): every `interval` it reads the load of the replicas in service as a share of
// what they can take, and wants ceil(replicas * load / target) of them, within [min, max], ignoring
// changes within 10% of the target. New replicas join only after `provisionDelay`; scaling down is
// immediate and takes replicas in service (busy workers retire when their task is done; router nodes leave
// rotation and finish what they have in flight).
import type { ScheduledEvent, Simulation } from './simulation.js';

const TOLERANCE = 0.1;

/** An autoscale section with its target under one name (`targetUtilization`, `targetMemory`). */
export interface ScalePolicy {
  min: number;
  max: number;
  /** The load per replica to aim for, as a share of what one can take, in (0, 1]. */
  target: number;
  /** How often it reads the load and decides, incident ms. */
  interval: number;
  /** From deciding to add a replica to the replica joining, incident ms. */
  provisionDelay: number;
}

/** A config section's policy: its own name for the target (`targetUtilization`, `targetMemory`) read by `target`. */
export function scalePolicy<C extends Omit<ScalePolicy, 'target'>>(config: C | undefined, target: (config: C) => number): ScalePolicy | undefined {
  return config && { min: config.min, max: config.max, target: target(config), interval: config.interval, provisionDelay: config.provisionDelay };
}

/** What the autoscaler scales. */
export interface Scalable {
  /** Replicas in service: the ones the reading covers, and the ones a scale-down takes from. */
  readonly serving: number;
  /** Replicas kept, in service or coming back by themselves (not counting those being provisioned). */
  readonly kept: number;
  /** The load of the replicas in service as a share of what they can take; a reading over an interval restarts it. */
  read(now: number): number;
  /** Replicas wanted while none is in service; undefined: nothing to read, decide nothing this time. */
  wantedWithNoneServing(): number | undefined;
  /** One provisioned replica joins now. */
  add(now: number): void;
  /** `count` replicas in service leave now. */
  remove(count: number, now: number): void;
}

export class Autoscaler {
  #policy: ScalePolicy | undefined;
  #tick: ScheduledEvent | undefined;
  #provisioning: ScheduledEvent[] = [];

  constructor(
    readonly sim: Simulation,
    readonly scaled: Scalable,
  ) {}

  /** Replicas decided on but not yet provisioned. */
  get provisioning(): number {
    return this.#provisioning.length;
  }

  reconfigure(policy: ScalePolicy | undefined): void {
    const same = policy && this.#policy && JSON.stringify(policy) === JSON.stringify(this.#policy);
    this.#policy = policy;
    if (same) return;
    this.#tick?.cancel();
    this.#tick = undefined;
    if (!policy) {
      this.#cancelProvisioning(this.#provisioning.length);
      return;
    }
    this.scaled.read(this.sim.now);
    this.#schedule(policy);
  }

  #schedule(policy: ScalePolicy): void {
    this.#tick = this.sim.after(policy.interval, () => {
      this.#schedule(policy);
      this.#decide(policy);
    });
  }

  #decide(policy: ScalePolicy): void {
    const now = this.sim.now;
    const current = this.scaled.serving;
    const load = this.scaled.read(now);
    let desired: number;
    if (current === 0) {
      const wanted = this.scaled.wantedWithNoneServing();
      if (wanted === undefined) return;
      desired = wanted;
    } else if (Math.abs(load / policy.target - 1) <= TOLERANCE) desired = current;
    else desired = Math.ceil((current * load) / policy.target);
    desired = Math.min(policy.max, Math.max(policy.min, desired));

    const planned = this.scaled.kept + this.#provisioning.length;
    if (desired > planned) {
      for (let i = planned; i < desired; i++) this.#provision(policy);
    } else if (desired < planned) {
      const cancel = Math.min(this.#provisioning.length, planned - desired);
      this.#cancelProvisioning(cancel);
      if (desired < current) this.scaled.remove(current - desired, now);
    }
  }

  #provision(policy: ScalePolicy): void {
    const event = this.sim.after(policy.provisionDelay, () => {
      this.#provisioning = this.#provisioning.filter((e) => e !== event);
      this.scaled.add(this.sim.now);
    });
    this.#provisioning.push(event);
  }

  #cancelProvisioning(count: number): void {
    for (const event of this.#provisioning.splice(this.#provisioning.length - count, count)) event.cancel();
  }
}
