// 2. Open-model accuracy at 2k, 5k, 10k and 20k req/s against nginx, from t0: does the generator keep the
// schedule from its first arrival? Each run is one phase split in two — its first 2 s (`first`) and the
// rest (`steady`) — with nothing skipped: what the tool does to be ready (its warm-up on a sink of its
// own, the connections it opens ahead) happens before t0 and is reported apart (`readiness`). Per part:
// achieved / target, send lag p99 (actual send minus intended send) and latency p99 of successes (from
// the intended send), and CPU µs per request for the whole process. wrk runs in the same round against
// the same nginx, closed loop on 10 connections: nginx's own latency, the floor a wrk2-style open-model
// client on this machine could hope to see (wrk2 itself is not packaged). autocannon -R runs alongside for
// its achieved rate (it reports no send lag, and measures latency from the actual send).
import { fmt, markdownTable, median, spread } from '../table.js';

const RATES = [2_000, 5_000, 10_000, 20_000];
const CONNECTIONS = 50;
const FIRST_S = 2;

export default {
  id: 'open-model',
  title: 'Open-model accuracy from t0 at 2k, 5k, 10k and 20k req/s',
  async run(ctx) {
    const seconds = ctx.seconds(8);
    const { incidentLoad, autocannon, wrk } = ctx.peers;
    const target = (await ctx.target('nginx')) ?? (await ctx.target('node-http'));
    const rows = [];
    const summary = [];
    for (const rate of RATES) {
      const il = [];
      const ac = [];
      const floor = [];
      for (let round = 0; round < ctx.rounds; round++) {
        ctx.log(`open-model: ${rate}/s, incident-load from t0, round ${round + 1}/${ctx.rounds}`);
        const run = await incidentLoad.run({
          url: target.url,
          phases: [`first:${FIRST_S}s:${rate}`, `steady:${seconds - FIRST_S}s:${rate}`],
          connections: CONNECTIONS,
        });
        il.push(run);
        if (ctx.available.wrk) {
          ctx.log(`open-model: ${rate}/s, wrk (nginx's own latency), round ${round + 1}/${ctx.rounds}`);
          floor.push(await wrk.run({ url: target.url, connections: 10, seconds: 3 }));
        }
        if (ctx.available.autocannon) {
          ctx.log(`open-model: ${rate}/s, autocannon -R, round ${round + 1}/${ctx.rounds}`);
          ac.push(await autocannon.run({ url: target.url, connections: CONNECTIONS, seconds, rate }));
        }
      }
      const part = (run, name) => run.raw.phases.find((p) => p.name === name);
      const accuracy = (name) => il.map((r) => part(r, name).rps.achieved / rate);
      const lag = (name) => il.map((r) => part(r, name).sendLagMs?.p99);
      const ok = (name) => il.map((r) => part(r, name).okLatencyMs?.p99);
      const cpuUs = il.map((r) => (r.cpuMs * 1000) / Math.max(1, r.raw.total.ok + r.raw.total.failed + (r.raw.readiness?.warmUpRequests ?? 0)));
      for (const name of ['first', 'steady']) {
        rows.push([
          fmt.int(rate),
          `incident-load, ${name === 'first' ? `first ${FIRST_S} s` : 'steady'}`,
          spread(accuracy(name), fmt.ratio),
          spread(lag(name), fmt.ms),
          spread(ok(name), fmt.ms),
          name === 'first' ? spread(cpuUs, fmt.int) : '',
          name === 'first'
            ? spread(
                il.map((r) => r.raw.readiness?.warmUpWallMs),
                fmt.int,
              )
            : '',
        ]);
      }
      if (floor.length)
        rows.push([
          fmt.int(rate),
          'wrk -c 10 (nginx alone, closed)',
          '',
          'n/a',
          spread(
            floor.map((r) => r.latency.p99),
            fmt.ms,
          ),
          spread(
            floor.map((r) => (r.cpuMs * 1000) / r.completed),
            fmt.int,
          ),
          '',
        ]);
      if (ac.length)
        rows.push([
          fmt.int(rate),
          `autocannon -R -c ${CONNECTIONS}`,
          spread(
            ac.map((r) => r.rps / rate),
            fmt.ratio,
          ),
          'not reported',
          spread(
            ac.map((r) => r.latency.p99),
            fmt.ms,
          ),
          spread(
            ac.map((r) => (r.cpuMs * 1000) / r.completed),
            fmt.int,
          ),
          '',
        ]);
      const firstLag = median(lag('first'));
      const steadyLag = median(lag('steady'));
      summary.push({
        scenario: '2. open-model accuracy',
        figure: `achieved / target at ${fmt.int(rate)} req/s (steady)`,
        target: 'within 1 %',
        measured: spread(accuracy('steady'), fmt.ratio),
        holds: Math.abs(median(accuracy('steady')) - 1) <= 0.01,
      });
      summary.push({
        scenario: '2. open-model accuracy',
        figure: `send lag p99 at ${fmt.int(rate)} req/s, first ${FIRST_S} s / steady (ms)`,
        target: rate <= 5_000 ? 'first ≤ 3 × steady + 2 ms' : 'reported',
        measured: `${fmt.ms(firstLag)} / ${fmt.ms(steadyLag)}`,
        holds: rate <= 5_000 ? firstLag <= 3 * steadyLag + 2 : undefined,
      });
    }
    if (!ctx.available.autocannon) ctx.skip('autocannon', 'not installed');
    const table = markdownTable(
      ['rate/s', 'tool, part of the run', 'achieved / target', 'send lag p99 ms', 'ok latency p99 ms', 'CPU µs / request', 'warm-up ms (before t0)'],
      rows,
      'rlrrrrr',
    );
    return {
      summary,
      body: `${table}

Target: ${target.name} on loopback. ${ctx.rounds} interleaved round(s) of ${seconds} s per tool and rate.
incident-load's run is one schedule from t0, reported in two parts: its first ${FIRST_S} s and the rest; nothing
is skipped. Before t0 it warms its own code up on a sink inside its process (never the target) and opens the
connections its first second needs: the last column is how long that took (wall), and CPU µs / request counts
the whole process, warm-up included, over every request it sent (warm-up included). Latency counts from the
intended send time, so lag shows in it too (coordinated omission is not hidden). wrk's row is nginx's own
latency in the same round, closed loop on 10 connections: the floor any client on this machine sees.
autocannon's \`-R\` gives each connection a budget per second, sent back to back as responses come, so its rate
is right over a second but not within it, and its latency is measured from the actual send.`,
    };
  },
};
