// 4. Mock capacity: how much traffic the bundled mock can take when the model itself never makes
// anyone wait, compared with a bare node:http server on the same core. The mock runs with the smallest
// service time its config accepts (a constant 1 µs; zero is refused as "a duration above zero") and a
// fleet far larger than the number of connections, so nothing ever queues: what is measured is the
// cost of the simulation and its HTTP layer. Both are driven by the same generator, incident-load in a
// closed loop (every connection sends again as soon as it is answered): the highest rate each serves
// with every answer a 200, i.e. its maximum sustainable throughput.
import { startMock } from '../targets.js';
import { fmt, markdownTable, median, spread } from '../table.js';

const CONNECTIONS = 50;
export const CAPACITY_MOCK = ['fleet.workers=10000', 'fleet.serviceTime=1us'];

export default {
  id: 'mock-capacity',
  title: 'Mock capacity against a bare node:http server',
  async run(ctx) {
    const seconds = ctx.seconds(8);
    const { incidentLoad } = ctx.peers;
    const bare = await ctx.target('node-http');
    const mock = await startMock({ mock: CAPACITY_MOCK, speed: 1 });
    try {
      // Warm the mock as the bare target was warmed.
      await incidentLoad.run({ url: mock.url, phases: ['warm:1s:vus=10'], connections: 10 });
      const targets = [
        { name: 'node:http', url: bare.url, runs: [] },
        { name: `mock (${CAPACITY_MOCK.join(', ')})`, url: mock.url, runs: [] },
      ];
      for (let round = 0; round < ctx.rounds; round++) {
        for (const t of targets) {
          ctx.log(`mock-capacity: ${t.name}, round ${round + 1}/${ctx.rounds}`);
          t.runs.push(await incidentLoad.run({ url: t.url, phases: [`x:${seconds}s:vus=${CONNECTIONS}`], connections: CONNECTIONS }));
        }
      }
      const [b, m] = targets;
      const ratios = m.runs.map((r, i) => r.rps / b.runs[i].rps);
      const allOk = m.runs.every((r) => r.errors === 0 && r.raw.total.failed === 0);
      const rows = targets.map((t) => [
        t.name,
        spread(
          t.runs.map((r) => r.rps),
          fmt.int,
        ),
        spread(
          t.runs.map((r) => r.raw.total.successRatio),
          (x) => x.toFixed(4),
        ),
        spread(
          t.runs.map((r) => r.latency.p50),
          fmt.ms,
        ),
        spread(
          t.runs.map((r) => r.latency.p99),
          fmt.ms,
        ),
        String(t.runs.reduce((a, r) => a + r.errors, 0)),
        t === m ? spread(ratios, fmt.ratio) : '1',
      ]);
      const table = markdownTable(['target', 'req/s', 'success', 'p50 ms', 'p99 ms', 'errors', 'vs node:http'], rows);
      return {
        summary: [
          {
            scenario: '4. mock capacity',
            figure: 'mock / node:http max req/s (closed loop, 50 conns)',
            target: '≥ 0.7',
            measured: spread(ratios, fmt.ratio) + (allOk ? '' : ' (mock answered errors)'),
            holds: median(ratios) >= 0.7 && allOk,
          },
        ],
        body: `${table}

Generator: incident-load \`--phase x:${seconds}s:vus=${CONNECTIONS} -c ${CONNECTIONS}\`, ${ctx.rounds} interleaved round(s). The mock was
started with \`incident-load mock ${CAPACITY_MOCK.map((kv) => `--mock ${kv}`).join(' ')}\` at speed 1, on the target core
like node:http. "success" is the share of 200s (a sustainable rate answers every request).`,
      };
    } finally {
      await mock.stop();
    }
  },
};
