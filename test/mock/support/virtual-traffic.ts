// Traffic against the model in virtual time: the open and closed loops of clients.ts, but as events on the
// model's own agenda (sim.at), so every arrival, give-up and answer happens at its exact incident time and
// nothing depends on how busy the machine is. A test advances the model to the moments it samples
// (`service.advance(t)`), injects faults there through the mock's own FaultInjector, and reads the
// outcomes: the same questions the HTTP fault tests asked, answered exactly.
import { Random } from '../../../src/core/random.js';
import { FaultInjector } from '../../../src/mock/faults/injector.js';
import type { ServiceState, SimulatedService } from '../../../src/mock/model/simulated-service.js';
import type { Reply, Task } from '../../../src/mock/model/task.js';
import { model } from './model.js';

export interface VirtualOutcome {
  index: number;
  /** Incident ms the request arrived. */
  arrivedAt: number;
  /** Incident ms the answer came (or the client gave up). */
  doneAt: number;
  status?: number;
  /** 'timeout': the client gave up first and disconnected. */
  error?: 'timeout';
  reply?: Reply;
}

export interface VirtualTraffic {
  readonly outcomes: VirtualOutcome[];
  /** No new arrivals after the model's current time. */
  stop(): void;
}

/** A model from a profile-style `mock:` section, with the mock's fault injector on it. */
export function virtualMock(mock: unknown, seed = 1): { service: SimulatedService; faults: FaultInjector } {
  const { service } = model(mock, seed);
  return { service, faults: new FaultInjector(service) };
}

/**
 * Open loop: seeded Poisson arrivals at `rate` per incident second from the model's current time, never
 * paced by answers. With `timeoutMs`, a client unanswered by then gives up and disconnects (the model's
 * abandon), as the HTTP client's abort does.
 */
export function virtualOpenLoop(service: SimulatedService, options: { rate: number; seed: number; timeoutMs?: number }): VirtualTraffic {
  const gaps = new Random(options.seed, 'test.arrivals');
  const outcomes: VirtualOutcome[] = [];
  let stopped = false;
  const next = (): void => {
    if (stopped) return;
    send(service, outcomes, options.timeoutMs);
    service.sim.after(gaps.exponential(1000 / options.rate), next);
  };
  service.sim.after(gaps.exponential(1000 / options.rate), next);
  return { outcomes, stop: () => void (stopped = true) };
}

/** Closed loop: `clients` users, each sending its next request the moment its answer arrives. */
export function virtualClosedLoop(service: SimulatedService, clients: number): VirtualTraffic {
  const outcomes: VirtualOutcome[] = [];
  let stopped = false;
  const user = (): void => {
    if (stopped) return;
    // The next request leaves after the answer's event, at the same instant (the model never answers in
    // zero time here: every test's service takes time).
    send(service, outcomes, undefined, () => service.sim.after(0, user));
  };
  for (let i = 0; i < clients; i++) service.sim.after(0, user);
  return { outcomes, stop: () => void (stopped = true) };
}

function send(service: SimulatedService, outcomes: VirtualOutcome[], timeoutMs: number | undefined, then?: () => void): void {
  const outcome: VirtualOutcome = { index: outcomes.length, arrivedAt: service.now, doneAt: NaN };
  outcomes.push(outcome);
  const giveUp =
    timeoutMs === undefined
      ? undefined
      : service.sim.after(timeoutMs, () => {
          outcome.doneAt = service.now;
          outcome.error = 'timeout';
          service.abandon(task);
          then?.();
        });
  const task: Task = service.arrive((reply) => {
    giveUp?.cancel();
    outcome.doneAt = service.now;
    outcome.status = reply.status;
    outcome.reply = reply;
    then?.();
  });
}

/** The model's state at incident time `t` (advancing it there first). */
export function stateAt(service: SimulatedService, t: number): ServiceState {
  service.advance(t);
  return service.state();
}

/**
 * Over the incident window (from, to]: tasks the model served per second (its own counter) and the 200s
 * the clients received per second.
 */
export function virtualThroughput(service: SimulatedService, traffic: VirtualTraffic, from: number, to: number): { served: number; received: number } {
  const a = stateAt(service, from);
  const b = stateAt(service, to);
  const received = traffic.outcomes.filter((o) => o.status === 200 && o.doneAt > from && o.doneAt <= to).length;
  const seconds = (to - from) / 1000;
  return { served: (b.counters.served - a.counters.served) / seconds, received: received / seconds };
}

/** The outcomes with this status. */
export function withStatus(outcomes: readonly VirtualOutcome[], status: number): VirtualOutcome[] {
  return outcomes.filter((o) => o.status === status);
}
