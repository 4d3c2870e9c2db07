// The mock in this process: the simulated service, coupled to the wall clock, behind its traffic port and
// its control port. `createMock` is the library API (and what `incident-load mock` runs in the
// foreground); `startMock` (launch.ts) runs the same thing in a child process.
import type { Server } from 'node:http';
import { checkMockConfig, type MockConfig } from './config/index.js';
import { createControlServer, type ControlSurface } from './control.js';
import { checkControlToken, newControlToken } from './control-api.js';
import { FaultInjector, type FaultEvent, type AppliedFault } from './faults/index.js';
import { listenAddress } from '../core/listener-guard.js';
import { closeServer, listen, urlFor } from './http-util.js';
import { SimulatedService, type ServiceState } from './model/simulated-service.js';
import { createTrafficServer } from './server.js';
import { WallClock } from './wall-clock.js';

export interface MockOptions {
  /** Incident ms per wall ms (default 1). */
  speed?: number;
  /** Seed of every random draw in the model (default 1). */
  seed?: number;
  /**
   * 127.0.0.1 (default) or ::1; or, explicitly, another address of this machine (0.0.0.0: all of them, as
   * in a pod), which opens the traffic port to the network and the control API to anyone with the token.
   * The control port always listens on the same address.
   */
  host?: string;
  /** Traffic port (default 0: any free port). */
  port?: number;
  /** Control port (default 0: any free port). */
  controlPort?: number;
  /** The control API's token (default: a new random one; see `token` on the mock). */
  token?: string;
  /** Called for every fault applied or reverted (the CLI logs them). */
  onFault?: (event: FaultEvent) => void;
  /** Called after `POST /reset`, with the virtual time. */
  onReset?: (t: number) => void;
}

export interface MockAddress {
  url: string;
  controlUrl: string;
  /** Every control request must carry it: `Authorization: Bearer <token>`. */
  token: string;
}

/** `GET /state`. The load side samples exactly `queued`, `busy`, `workers` and `routersReady`. */
export interface MockState extends ServiceState {
  /** Incident ms per wall ms. */
  speed: number;
  seed: number;
  /** The fault log, oldest first (capped; active faults are always in it). */
  faults: AppliedFault[];
}

export class Mock implements ControlSurface {
  readonly program = 'mock';
  readonly service: SimulatedService;
  readonly injector: FaultInjector;
  readonly clock: WallClock;
  readonly speed: number;
  readonly seed: number;
  /** The control API's secret. */
  readonly token: string;
  /** Listening beyond loopback (see MockOptions.host). */
  readonly remote: boolean;
  readonly #host: string;
  readonly #port: number;
  readonly #controlPort: number;
  readonly #onReset: ((t: number) => void) | undefined;
  #traffic: Server | undefined;
  #control: Server | undefined;

  constructor(config: MockConfig, options: MockOptions = {}) {
    const speed = options.speed ?? 1;
    if (!(Number.isFinite(speed) && speed > 0)) throw new Error(`speed must be a number above zero, got ${String(options.speed)}`);
    this.speed = speed;
    this.seed = options.seed ?? 1;
    this.token = options.token === undefined ? newControlToken() : checkControlToken(options.token, 'token');
    const address = listenAddress(options.host);
    this.#host = address.host;
    this.remote = address.remote;
    this.#port = options.port ?? 0;
    this.#controlPort = options.controlPort ?? 0;
    this.service = new SimulatedService(checkMockConfig(config), { seed: this.seed });
    this.injector = new FaultInjector(this.service);
    if (options.onFault) this.injector.onEvent(options.onFault);
    this.#onReset = options.onReset;
    this.clock = new WallClock(this.service, speed);
  }

  async listen(): Promise<MockAddress> {
    this.#traffic = createTrafficServer(this.service, this.clock);
    this.#control = createControlServer(this);
    try {
      await listen(this.#traffic, this.#host, this.#port);
      await listen(this.#control, this.#host, this.#controlPort);
    } catch (err) {
      await this.close();
      throw err;
    }
    return { url: urlFor(this.#traffic), controlUrl: urlFor(this.#control), token: this.token };
  }

  async close(): Promise<void> {
    this.clock.stop();
    await Promise.all([this.#traffic, this.#control].filter((s) => s !== undefined).map((s) => closeServer(s)));
  }

  state(): MockState {
    return this.clock.step(() => {
      const s = this.service.state();
      return {
        t: s.t,
        speed: this.speed,
        seed: this.seed,
        config: s.config,
        queued: s.queued,
        busy: s.busy,
        workers: s.workers,
        routersReady: s.routersReady,
        routers: s.routers,
        retiring: s.retiring,
        provisioning: s.provisioning,
        routersProvisioning: s.routersProvisioning,
        db: s.db,
        priority: s.priority,
        counters: s.counters,
        faults: this.injector.list(),
      };
    });
  }

  faults(): AppliedFault[] {
    return this.injector.list();
  }

  /** Applies a fault now: `{ fault: "shrink-fleet", workers: 4 }`. Throws FaultError (a 400) on bad input. */
  inject(input: unknown): AppliedFault {
    return this.clock.step(() => this.injector.inject(input));
  }

  revert(id: number): AppliedFault {
    return this.clock.step(() => this.injector.revert(id));
  }

  reset(): { t: number } {
    const t = this.clock.step(() => {
      this.injector.reset();
      this.service.reset();
      return this.service.now;
    });
    this.#onReset?.(t);
    return { t };
  }
}

/** A mock in this process; call `listen()` to open its ports and `close()` to stop it. */
export function createMock(config: MockConfig, options: MockOptions = {}): Mock {
  return new Mock(config, options);
}
