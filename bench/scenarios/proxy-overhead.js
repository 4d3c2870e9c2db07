// 8. The proxy's own cost: the same node:http target direct and through `incident-load proxy` with no
// fault (its own process, on the target's CPU), measured by incident-load alike. Open model at 1k req/s:
// the added p50 and p99 (through − direct, same round); closed loop at 50 connections: the throughput
// through it over direct. What `ramp --via-proxy` costs a run before any fault does anything.
import { startProxy } from '../targets.js';
import { fmt, markdownTable, median, spread } from '../table.js';

const RATE = 1_000;
const CLOSED = 50;

export default {
  id: 'proxy-overhead',
  title: 'The proxy’s own cost: direct vs through `incident-load proxy`, no fault',
  async run(ctx) {
    const seconds = ctx.seconds(8);
    const rounds = ctx.roundsOr(3);
    const { incidentLoad } = ctx.peers;
    const target = await ctx.target('node-http');
    const proxy = await startProxy(target.url);
    try {
      // Warm the proxy's JIT and its pool, as ctx.target warms a target.
      await incidentLoad.run({ url: proxy.url, phases: ['warm:2s:1000'], connections: 50 });
      const open = (url) => incidentLoad.run({ url, phases: [`warmup:2s:${RATE}`, `x:${seconds}s:${RATE}`], measure: 'x', connections: 50 });
      const closed = (url) => incidentLoad.run({ url, phases: [`x:${seconds}s:vus=${CLOSED}`], connections: CLOSED });
      const runs = { open: { direct: [], proxy: [] }, closed: { direct: [], proxy: [] } };
      for (let round = 0; round < rounds; round++) {
        for (const [model, run] of [
          ['open', open],
          ['closed', closed],
        ]) {
          for (const [via, url] of [
            ['direct', target.url],
            ['proxy', proxy.url],
          ]) {
            ctx.log(`proxy-overhead: ${model} ${via}, round ${round + 1}/${rounds}`);
            runs[model][via].push(await run(url));
          }
        }
      }
      const addedP50 = runs.open.proxy.map((r, i) => r.latency.p50 - runs.open.direct[i].latency.p50);
      const addedP99 = runs.open.proxy.map((r, i) => r.latency.p99 - runs.open.direct[i].latency.p99);
      const ratio = runs.closed.proxy.map((r, i) => r.rps / runs.closed.direct[i].rps);
      const row = (model, via, load) => {
        const rs = runs[model][via];
        return [
          model,
          via,
          load,
          spread(
            rs.map((r) => r.rps),
            fmt.int,
          ),
          spread(
            rs.map((r) => r.latency.p50),
            fmt.ms,
          ),
          spread(
            rs.map((r) => r.latency.p99),
            fmt.ms,
          ),
          String(rs.reduce((a, r) => a + r.errors, 0)),
        ];
      };
      const rows = [
        row('open', 'direct', `${RATE}/s, -c 50`),
        row('open', 'proxy', `${RATE}/s, -c 50`),
        row('closed', 'direct', `vus=${CLOSED}, -c ${CLOSED}`),
        row('closed', 'proxy', `vus=${CLOSED}, -c ${CLOSED}`),
      ];
      const summary = [
        {
          scenario: '8. proxy overhead',
          figure: `added p50 at ${RATE} req/s, open model (ms)`,
          target: '≤ 0.2 ms',
          measured: spread(addedP50, fmt.ms),
          holds: median(addedP50) <= 0.2,
        },
        { scenario: '8. proxy overhead', figure: `added p99 at ${RATE} req/s, open model (ms)`, target: 'reported', measured: spread(addedP99, fmt.ms) },
        {
          scenario: '8. proxy overhead',
          figure: `closed-loop req/s through the proxy / direct, ${CLOSED} connections`,
          target: '≥ 0.5',
          measured: spread(ratio, fmt.ratio),
          holds: median(ratio) >= 0.5,
        },
      ];
      const table = markdownTable(['model', 'via', 'load', 'req/s', 'p50 ms', 'p99 ms', 'errors'], rows, 'lllrrrr');
      return {
        summary,
        body: `${table}

${rounds} interleaved round(s) of ${seconds} s per row, incident-load measuring both ways (open model from the
intended send, figures from phase \`x\` after 2 s of warm-up). The proxy is \`incident-load proxy --upstream\`
with no fault, in its own process on the target's CPU (it shares that core with the node:http target, as a
sidecar would); the generator has the other core. Added latency is through − direct in the same round: the
extra loopback hop, the proxy's parsing and its undici pool. Closed loop: the proxy and the target share one
core, so the ratio is bounded by that core, not by the generator.`,
      };
    } finally {
      await proxy.stop();
    }
  },
};
