// 7. Scale-out on one machine: `ramp --workers 2` against `--workers 1`, and against autocannon `-w 2` and
// wrk `-t2`, every two-thread generator on both cores. Two questions, answered by the figures that a
// shared two-core machine can answer:
//   - what a worker thread costs: CPU µs per request with 2 workers over 1 (the split, the barrier, the
//     merge of histograms) — per-request CPU hardly moves when the cores are contended;
//   - whether incident-load's threads do as well as a peer's threads on the same cores, against nginx
//     (one worker) sharing a core with them: req/s over autocannon -w 2's, round by round.
// And the open model: 20k req/s with --workers 2 — achieved / target and send lag — beside --workers 1,
// which falls behind there.
// What two cores cannot show: the speed-up of a second core to a generator alone. The target needs a core
// too, so two generator threads and nginx share two cores, and req/s with 2 workers is bounded by what is
// left of them; on a machine with a core per thread plus the target's, req/s would scale with the workers.
import { ALL_CPUS, GENERATOR_CPU } from '../placement.js';
import { fmt, markdownTable, median, spread } from '../table.js';

const CONNECTIONS = 50;
const OPEN_RATE = 20_000;
const WARMUP_S = 2;

export default {
  id: 'scale-out',
  title: 'Scale-out on one machine: --workers 2 against --workers 1 and peers with two threads',
  async run(ctx) {
    const seconds = ctx.seconds(5);
    const rounds = ctx.roundsOr(5);
    const { incidentLoad, autocannon, wrk } = ctx.peers;
    const summary = [];
    const rows = [];
    const target = (await ctx.target('nginx')) ?? (await ctx.target('node-http'));
    if (target.name !== 'nginx') ctx.skip('nginx target', 'nginx not installed (apt-get install nginx-light): scale-out ran against node:http');

    const closed = (workers, cpu) => ({
      name: `incident-load --workers ${workers}`,
      load: `--phase x:${seconds}s:vus=${CONNECTIONS} -c ${CONNECTIONS} --workers ${workers}`,
      cpus: cpu,
      run: () =>
        incidentLoad.run({
          url: target.url,
          phases: [`x:${seconds}s:vus=${CONNECTIONS}`],
          connections: CONNECTIONS,
          extra: ['--workers', String(workers)],
          cpu,
        }),
    });
    const tools = [closed(1, GENERATOR_CPU), closed(2, ALL_CPUS)];
    if (ctx.available.autocannon)
      tools.push({
        name: 'autocannon -w 2',
        load: `-c ${CONNECTIONS} -w 2`,
        cpus: ALL_CPUS,
        run: () => autocannon.run({ url: target.url, connections: CONNECTIONS, seconds, workers: 2, cpu: ALL_CPUS }),
      });
    else ctx.skip('autocannon', 'not installed');
    if (ctx.available.wrk)
      tools.push({
        name: 'wrk -t2',
        load: `-t2 -c${CONNECTIONS}`,
        cpus: ALL_CPUS,
        run: () => wrk.run({ url: target.url, connections: CONNECTIONS, seconds, threads: 2, cpu: ALL_CPUS }),
      });
    else ctx.skip('wrk', 'not installed');

    const byTool = new Map(tools.map((t) => [t.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const tool of tools) {
        ctx.log(`scale-out: ${tool.name}, round ${round + 1}/${rounds}`);
        byTool.get(tool.name).push(await tool.run());
      }
    }
    const w1 = byTool.get('incident-load --workers 1');
    const w2 = byTool.get('incident-load --workers 2');
    const cpuPerRequest = (r) => (r.cpuMs * 1000) / r.completed;
    for (const tool of tools) {
      const runs = byTool.get(tool.name);
      rows.push([
        tool.name,
        tool.load,
        String(tool.cpus),
        spread(
          runs.map((r) => r.rps),
          fmt.int,
        ),
        spread(
          runs.map((r) => r.latency?.p99),
          fmt.ms,
        ),
        String(runs.reduce((a, r) => a + r.errors, 0)),
        spread(runs.map(cpuPerRequest), (x) => x.toFixed(1)),
        spread(
          runs.map((r, i) => w2[i].rps / r.rps),
          fmt.ratio,
        ),
      ]);
    }
    const cpuRatio = w2.map((r, i) => cpuPerRequest(r) / cpuPerRequest(w1[i]));
    summary.push({
      scenario: '7. scale-out',
      figure: `CPU µs / request, --workers 2 / --workers 1, ${target.name}`,
      target: '≤ 1.10',
      measured: spread(cpuRatio, fmt.ratio),
      holds: median(cpuRatio) <= 1.1,
    });
    summary.push({
      scenario: '7. scale-out',
      figure: `req/s, --workers 2 / --workers 1, ${target.name}`,
      target: 'reported',
      measured: spread(
        w2.map((r, i) => r.rps / w1[i].rps),
        fmt.ratio,
      ),
    });
    const ac = byTool.get('autocannon -w 2');
    summary.push({
      scenario: '7. scale-out',
      figure: `req/s, incident-load --workers 2 / autocannon -w 2, ${target.name}`,
      target: '≥ 1.0',
      measured: ac
        ? spread(
            w2.map((r, i) => r.rps / ac[i].rps),
            fmt.ratio,
          )
        : 'not measured: autocannon not installed',
      holds: ac ? median(w2.map((r, i) => r.rps / ac[i].rps)) >= 1.0 : undefined,
    });
    const wk = byTool.get('wrk -t2');
    if (wk)
      summary.push({
        scenario: '7. scale-out',
        figure: `req/s, incident-load --workers 2 / wrk -t2, ${target.name}`,
        target: 'reported',
        measured: spread(
          w2.map((r, i) => r.rps / wk[i].rps),
          fmt.ratio,
        ),
      });

    // The open model at a rate one thread does not keep: both runs offer the same schedule.
    const openRows = [];
    const openRounds = ctx.rounds;
    const open = { 1: [], 2: [] };
    for (let round = 0; round < openRounds; round++) {
      for (const workers of [1, 2]) {
        ctx.log(`scale-out: open model ${OPEN_RATE}/s, --workers ${workers}, round ${round + 1}/${openRounds}`);
        open[workers].push(
          await incidentLoad.run({
            url: target.url,
            phases: [`warmup:${WARMUP_S}s:${OPEN_RATE}`, `x:${seconds}s:${OPEN_RATE}`],
            measure: 'x',
            connections: CONNECTIONS * 2,
            extra: ['--workers', String(workers)],
            cpu: workers === 1 ? GENERATOR_CPU : ALL_CPUS,
          }),
        );
      }
    }
    for (const workers of [1, 2]) {
      const runs = open[workers];
      openRows.push([
        `--workers ${workers}`,
        spread(
          runs.map((r) => r.rps),
          fmt.int,
        ),
        spread(
          runs.map((r) => r.rps / OPEN_RATE),
          fmt.ratio,
        ),
        spread(
          runs.map((r) => r.sendLag?.p50),
          fmt.ms,
        ),
        spread(
          runs.map((r) => r.sendLag?.p99),
          fmt.ms,
        ),
        String(runs.reduce((a, r) => a + r.errors, 0)),
      ]);
    }
    const accuracy = open[2].map((r) => r.rps / OPEN_RATE);
    summary.push({
      scenario: '7. scale-out',
      figure: `achieved / target at ${fmt.int(OPEN_RATE)} req/s, --workers 2`,
      target: 'within 1 %',
      measured: spread(accuracy, fmt.ratio),
      holds: Math.abs(median(accuracy) - 1) <= 0.01,
    });
    summary.push({
      scenario: '7. scale-out',
      figure: `send lag p99 at ${fmt.int(OPEN_RATE)} req/s, --workers 2 / --workers 1 (ms)`,
      target: 'reported',
      measured: `${spread(
        open[2].map((r) => r.sendLag?.p99),
        fmt.ms,
      )} / ${spread(
        open[1].map((r) => r.sendLag?.p99),
        fmt.ms,
      )}`,
    });

    const table = markdownTable(['tool', 'load', 'CPUs', 'req/s', 'p99 ms', 'errors', 'CPU µs / request', 'il --workers 2 / tool'], rows, 'lllrrrrr');
    const openTable = markdownTable(
      ['incident-load', 'achieved req/s', 'achieved / target', 'send lag p50 ms', 'send lag p99 ms', 'errors'],
      openRows,
      'lrrrrr',
    );
    return {
      summary,
      body: `Closed loop, ${CONNECTIONS} connections in all, against ${target.name} (one worker, on CPU 1):

${table}

Open model, ${fmt.int(OPEN_RATE)} req/s after ${WARMUP_S} s of warm-up at the same rate, -c ${CONNECTIONS * 2}:

${openTable}

${rounds} interleaved round(s) of ${seconds} s per closed-loop tool, ${openRounds} per open-model run. The
one-thread run is pinned to CPU ${GENERATOR_CPU} as in scenario 1; every two-thread generator runs on CPUs
${ALL_CPUS}, where the target also runs, so req/s here is what two cores give a generator and a target
together — not the scaling of a generator with a core of its own per thread, which this machine cannot
show. CPU µs / request is the generator process's own CPU (all its threads) over the requests it
completed: the cost of splitting a run into worker threads, whatever the contention.`,
    };
  },
};
