// 2. Open-model accuracy at 2k, 5k and 10k req/s: does the generator keep the schedule? achieved /
// target (completed responses per second of the phase over the configured rate) and send lag (actual
// send minus intended send of each first attempt, incident-load's `sendLagMs`). autocannon's `-R` runs
// alongside; it reports no send lag, so only its achieved rate is comparable.
import { fmt, markdownTable, median, spread } from '../table.js';

const RATES = [2_000, 5_000, 10_000];
const CONNECTIONS = 50;
/** Seconds at the same rate before the measured phase: connection set-up, undici's parser, cold JIT. */
const WARMUP_S = 2;

export default {
  id: 'open-model',
  title: 'Open-model accuracy at 2k, 5k and 10k req/s',
  async run(ctx) {
    const seconds = ctx.seconds(8);
    const { incidentLoad, autocannon } = ctx.peers;
    const target = await ctx.target('node-http');
    const rows = [];
    const summary = [];
    for (const rate of RATES) {
      const il = [];
      const ac = [];
      for (let round = 0; round < ctx.rounds; round++) {
        ctx.log(`open-model: ${rate}/s, incident-load, round ${round + 1}/${ctx.rounds}`);
        il.push(
          await incidentLoad.run({
            url: target.url,
            phases: [`warmup:${WARMUP_S}s:${rate}`, `x:${seconds}s:${rate}`],
            measure: 'x',
            connections: CONNECTIONS,
          }),
        );
        if (ctx.available.autocannon) {
          ctx.log(`open-model: ${rate}/s, autocannon -R, round ${round + 1}/${ctx.rounds}`);
          ac.push(await autocannon.run({ url: target.url, connections: CONNECTIONS, seconds, rate }));
        }
      }
      const ilAccuracy = il.map((r) => r.rps / rate);
      rows.push([
        fmt.int(rate),
        'incident-load',
        `--phase warmup:${WARMUP_S}s:${rate} --phase x:${seconds}s:${rate} -c ${CONNECTIONS}`,
        spread(
          il.map((r) => r.rps),
          fmt.int,
        ),
        spread(ilAccuracy, fmt.ratio),
        spread(
          il.map((r) => r.sendLag?.p50),
          fmt.ms,
        ),
        spread(
          il.map((r) => r.sendLag?.p99),
          fmt.ms,
        ),
        spread(
          il.map((r) => r.latency?.p50),
          fmt.ms,
        ),
        spread(
          il.map((r) => r.latency?.p99),
          fmt.ms,
        ),
        String(il.reduce((a, r) => a + r.errors, 0)),
      ]);
      if (ac.length) {
        rows.push([
          fmt.int(rate),
          'autocannon',
          `-R ${rate} -c ${CONNECTIONS}`,
          spread(
            ac.map((r) => r.rps),
            fmt.int,
          ),
          spread(
            ac.map((r) => r.rps / rate),
            fmt.ratio,
          ),
          'not reported',
          'not reported',
          spread(
            ac.map((r) => r.latency.p50),
            fmt.ms,
          ),
          spread(
            ac.map((r) => r.latency.p99),
            fmt.ms,
          ),
          String(ac.reduce((a, r) => a + r.errors, 0)),
        ]);
      }
      const accuracy = median(ilAccuracy);
      summary.push({
        scenario: '2. open-model accuracy',
        figure: `achieved / target at ${fmt.int(rate)} req/s`,
        target: 'within 1 %',
        measured: spread(ilAccuracy, fmt.ratio),
        holds: Math.abs(accuracy - 1) <= 0.01,
      });
      const lagP99 = il.map((r) => r.sendLag?.p99);
      summary.push({
        scenario: '2. open-model accuracy',
        figure: `send lag p99 at ${fmt.int(rate)} req/s (ms)`,
        target: rate === 5_000 ? '≤ 2 ms' : 'reported',
        measured: spread(lagP99, fmt.ms),
        holds: rate === 5_000 ? median(lagP99) <= 2 : undefined,
      });
    }
    if (!ctx.available.autocannon) ctx.skip('autocannon', 'not installed');
    const table = markdownTable(
      ['rate/s', 'tool', 'load', 'achieved req/s', 'achieved / target', 'send lag p50 ms', 'send lag p99 ms', 'latency p50 ms', 'latency p99 ms', 'errors'],
      rows,
      'rllrrrrrrr',
    );
    return {
      summary,
      body: `${table}

Target: node:http answering at once. ${ctx.rounds} interleaved round(s) of ${seconds} s per tool and rate.
incident-load's figures are those of its measured phase \`x\`, after ${WARMUP_S} s at the same rate (connection
set-up, undici's parser compilation, cold JIT); autocannon has no warm-up phase and its figures cover its
whole run. achieved / target is completed responses per second of the phase over the configured rate. Send lag is
how late each request left the generator compared with its intended send time (incident-load's
\`sendLagMs\`); incident-load's latency counts from the intended send time, so lag shows in it too
(coordinated omission is not hidden). autocannon has no send-lag figure: its \`-R\` gives each connection a budget per
second, sent back to back as responses come and then paused until the next second, so its rate is
right over a whole second but not within it, and its latency is measured from the actual send.`,
    };
  },
};
