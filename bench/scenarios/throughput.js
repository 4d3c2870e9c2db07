// 1. Closed-loop throughput at 50 connections: how many requests per second one generator process
// drives when every connection sends its next request as soon as the last one is answered.
// incident-load `--phase x:Ns:vus=50 -c 50`, autocannon `-c 50`, wrk `-t1 -c50`, interleaved per round.
// Against node:http the one-core target is usually the bottleneck for every tool, so the ratio there says
// little about the generators; against nginx (when installed) the generator is the bottleneck.
import { fmt, markdownTable, median, spread } from '../table.js';

const CONNECTIONS = 50;

export default {
  id: 'throughput',
  title: 'Closed-loop throughput at 50 connections',
  async run(ctx) {
    // More, shorter rounds than elsewhere: the ratio is taken per round, and on a shared machine a
    // median of five pairs resists a noisy moment better than one of three.
    const seconds = ctx.seconds(5);
    const rounds = ctx.roundsOr(5);
    const { incidentLoad, autocannon, wrk, undiciFloor } = ctx.peers;
    const tools = [
      {
        name: 'incident-load',
        load: `--phase x:${seconds}s:vus=${CONNECTIONS} -c ${CONNECTIONS}`,
        run: (url) => incidentLoad.run({ url, phases: [`x:${seconds}s:vus=${CONNECTIONS}`], connections: CONNECTIONS }),
      },
    ];
    if (ctx.available.autocannon) {
      tools.push({ name: 'autocannon', load: `-c ${CONNECTIONS}`, run: (url) => autocannon.run({ url, connections: CONNECTIONS, seconds }) });
    } else ctx.skip('autocannon', 'not installed (npm install adds it as a devDependency)');
    if (ctx.available.wrk) {
      tools.push({ name: 'wrk', load: `-t1 -c${CONNECTIONS}`, run: (url) => wrk.run({ url, connections: CONNECTIONS, seconds, threads: 1 }) });
    } else ctx.skip('wrk', 'not installed (apt-get install wrk)');
    tools.push({
      name: 'undici alone',
      load: `Pool, ${CONNECTIONS} conns (reference)`,
      run: (url) => undiciFloor.run({ url, connections: CONNECTIONS, seconds }),
    });

    const targetKinds = ['node-http', 'nginx'];
    const rows = [];
    const summary = [];
    for (const kind of targetKinds) {
      const target = await ctx.target(kind);
      if (!target) {
        ctx.skip('nginx target', 'nginx not installed (apt-get install nginx-light)');
        continue;
      }
      const byTool = new Map(tools.map((t) => [t.name, []]));
      for (let round = 0; round < rounds; round++) {
        for (const tool of tools) {
          ctx.log(`throughput: ${target.name}, ${tool.name}, round ${round + 1}/${rounds}`);
          byTool.get(tool.name).push(await tool.run(target.url));
        }
      }
      const il = byTool.get('incident-load');
      const ratioTo = (peer) => {
        const runs = byTool.get(peer);
        return runs ? il.map((r, i) => r.rps / runs[i].rps) : undefined;
      };
      const ratios = { autocannon: ratioTo('autocannon'), wrk: ratioTo('wrk') };
      for (const tool of tools) {
        const runs = byTool.get(tool.name);
        rows.push([
          target.name,
          tool.name,
          tool.load,
          spread(
            runs.map((r) => r.rps),
            fmt.int,
          ),
          spread(
            runs.map((r) => r.latency?.p50),
            fmt.ms,
          ),
          spread(
            runs.map((r) => r.latency?.p99),
            fmt.ms,
          ),
          String(runs.reduce((a, r) => a + r.errors, 0)),
          spread(
            runs.map((r) => (r.cpuMs * 1000) / r.completed),
            (x) => x.toFixed(1),
          ),
          tool.name === 'incident-load'
            ? '1'
            : spread(
                runs.map((r, i) => il[i].rps / r.rps),
                fmt.ratio,
              ),
        ]);
      }
      // One summary line per ratio; a peer that is not installed is said so rather than left out.
      const ratioLine = (figure, ratios, missing, holds) =>
        summary.push({
          scenario: '1. closed-loop throughput',
          figure: `${figure}, ${target.name}`,
          target: holds ? '≥ 1.0' : 'reported',
          measured: ratios ? spread(ratios, fmt.ratio) : `not measured: ${missing}`,
          holds: ratios && holds ? holds(median(ratios)) : undefined,
        });
      ratioLine('incident-load / autocannon req/s', ratios.autocannon, 'autocannon not installed', (m) => m >= 1.0);
      const floor = byTool.get('undici alone');
      const ac = byTool.get('autocannon');
      if (floor && ac)
        ratioLine(
          'reference: undici alone / autocannon req/s',
          floor.map((r, i) => r.rps / ac[i].rps),
        );
      ratioLine('incident-load / wrk req/s', ratios.wrk, 'wrk not installed');
    }
    const table = markdownTable(
      ['target', 'tool', 'load', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'CPU µs / request', 'incident-load / tool'],
      rows,
      'lllrrrrrr',
    );
    return {
      summary,
      body: `${table}

${rounds} interleaved round(s) of ${seconds} s per tool; req/s is completed responses per second of
load. The last column is incident-load's req/s over the tool's in the same round. p50/p99 are each tool's
own figures: incident-load and wrk in microseconds, autocannon in whole milliseconds. Every tool runs on
one core (wrk with one thread; wrk is C and could use more threads on a bigger machine); the target has
the other core. "CPU µs / request" is the generator process's own CPU time (user + system, from the
kernel's accounting of the reaped child, start-up included) over the requests it completed: unlike
req/s, it hardly moves when other work on the machine takes the core away. Start-up and the final report
cost incident-load about 0.45 s of CPU and undici alone about 0.25 s, roughly 1 and 0.5 µs per request
in these runs. "undici alone" is not a
peer but a reference (bench/undici-floor.js): undici's Pool in the tightest closed loop, with the same
handler interface incident-load uses and nothing recorded, i.e. the ceiling of a generator built on undici.`,
    };
  },
};
