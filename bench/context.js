// What every scenario gets: the run's settings, the targets (started on first use, shared, stopped at
// the end), which peers are present, and a logger on stderr (stdout carries the table).
import { autocannon, incidentLoad, undiciFloor, wrk } from './peers.js';
import { startNginx, startNodeTarget } from './targets.js';

export class BenchContext {
  #targets = new Map();
  #skippedWhat = new Set();

  constructor({ quick }) {
    this.quick = quick;
    /** Interleaved repetitions of each comparison. */
    this.rounds = quick ? 1 : 3;
    this.peers = { incidentLoad, autocannon, wrk, undiciFloor };
    this.available = {
      autocannon: autocannon.available(),
      wrk: wrk.available(),
    };
    /** Notes on what was skipped, gathered for results.md. */
    this.skipped = [];
  }

  /** Rounds for a scenario that wants more, shorter paired runs: `full` normally, 1 with --quick. */
  roundsOr(full) {
    return this.quick ? 1 : full;
  }

  /** Seconds of load per measured run: `full` normally, `short` with --quick. */
  seconds(full, short = 3) {
    return this.quick ? short : full;
  }

  log(message) {
    process.stderr.write(`bench: ${message}\n`);
  }

  /** Notes a peer or target that is missing, once per `what` (the first reason given is kept). */
  skip(what, why) {
    if (this.#skippedWhat.has(what)) return;
    this.#skippedWhat.add(what);
    const note = `${what}: skipped, ${why}`;
    this.skipped.push(note);
    this.log(note);
  }

  /** 'node-http' | 'delay-20ms' | 'nginx' (undefined when nginx is not installed). */
  async target(kind) {
    if (!this.#targets.has(kind)) {
      const started =
        kind === 'node-http' ? startNodeTarget() : kind === 'delay-20ms' ? startNodeTarget({ delayMs: 20 }) : kind === 'nginx' ? startNginx() : undefined;
      if (!started) throw new Error(`unknown target ${kind}`);
      this.#targets.set(kind, started);
      const target = await started;
      if (target) await this.#warm(target);
    }
    return this.#targets.get(kind);
  }

  /** A short unmeasured burst so the first measured run does not pay for the target's JIT warm-up. */
  async #warm(target) {
    if (this.available.autocannon) await autocannon.run({ url: target.url, connections: 10, seconds: 1, warmup: true });
  }

  async stopTargets() {
    const targets = await Promise.allSettled([...this.#targets.values()]);
    this.#targets.clear();
    await Promise.all(targets.map((t) => t.status === 'fulfilled' && t.value?.stop()));
  }
}
