// 3. Latency accuracy: against a target that holds every answer exactly 20 ms, how close is the
// reported p50 to the truth? The truth is 20 ms plus what any request costs besides the hold: the
// loopback round trip and the server's own handling, measured separately by one sequential raw-socket
// client (bench/loopback-rtt.js) against the immediate node:http target, on the generator's core.
// The 20 ms target measures each hold itself; its median is shown beside each run as a check.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATOR_CPU, onCpu } from '../placement.js';
import { runProcess } from '../processes.js';
import { fmt, markdownTable, median, spread } from '../table.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const HOLD_MS = 20;
const RATE = 1_000;
const CLOSED = 20;

export default {
  id: 'latency',
  title: 'Latency accuracy against a 20 ms target',
  async run(ctx) {
    const seconds = ctx.seconds(8);
    const { incidentLoad, autocannon, wrk } = ctx.peers;
    const immediate = await ctx.target('node-http');
    const delayed = await ctx.target('delay-20ms');

    const rtt = await measureRtt(immediate.url, ctx.quick ? 1_000 : 5_000);
    const direct = await measureRtt(delayed.url, ctx.quick ? 100 : 300, 20);
    const truth = HOLD_MS + rtt.p50;
    ctx.log(`latency: loopback round trip p50 ${rtt.p50.toFixed(3)} ms, so the truth is ${truth.toFixed(3)} ms`);

    const tools = [
      {
        name: 'incident-load',
        load: `--phase warmup:2s:${RATE} --phase x:${seconds}s:${RATE} -c 50 (open)`,
        run: () => incidentLoad.run({ url: delayed.url, phases: [`warmup:2s:${RATE}`, `x:${seconds}s:${RATE}`], measure: 'x', connections: 50 }),
      },
      {
        name: 'incident-load',
        load: `--phase x:${seconds}s:vus=${CLOSED} -c ${CLOSED} (closed)`,
        run: () => incidentLoad.run({ url: delayed.url, phases: [`x:${seconds}s:vus=${CLOSED}`], connections: CLOSED }),
      },
    ];
    if (ctx.available.autocannon) {
      tools.push({ name: 'autocannon', load: `-c ${CLOSED}`, run: () => autocannon.run({ url: delayed.url, connections: CLOSED, seconds }) });
    } else ctx.skip('autocannon', 'not installed');
    if (ctx.available.wrk) {
      tools.push({ name: 'wrk', load: `-t1 -c${CLOSED}`, run: () => wrk.run({ url: delayed.url, connections: CLOSED, seconds }) });
    } else ctx.skip('wrk', 'not installed (apt-get install wrk)');

    const results = tools.map(() => []);
    for (let round = 0; round < ctx.rounds; round++) {
      for (const [i, tool] of tools.entries()) {
        ctx.log(`latency: ${tool.name} ${tool.load}, round ${round + 1}/${ctx.rounds}`);
        await fetch(new URL('/__bench/reset', delayed.url));
        const result = await tool.run();
        result.hold = await (await fetch(new URL('/__bench/hold', delayed.url))).json();
        results[i].push(result);
      }
    }

    const rows = tools.map((tool, i) => {
      const runs = results[i];
      return [
        tool.name,
        tool.load,
        spread(
          runs.map((r) => r.rps),
          fmt.int,
        ),
        spread(
          runs.map((r) => r.latency.p50),
          fmt.ms,
        ),
        spread(
          runs.map((r) => r.latency.p50 - truth),
          fmt.ms,
        ),
        spread(
          runs.map((r) => r.latency.p99),
          fmt.ms,
        ),
        spread(
          runs.map((r) => r.hold.p50Ms),
          fmt.ms,
        ),
        String(runs.reduce((a, r) => a + r.errors, 0)),
      ];
    });
    const openErr = results[0].map((r) => r.latency.p50 - truth);
    const closedErr = results[1].map((r) => r.latency.p50 - truth);
    const summary = [
      {
        scenario: '3. latency accuracy',
        figure: 'reported p50 − truth, open model (ms)',
        target: 'within ±1 ms',
        measured: spread(openErr, fmt.ms),
        holds: Math.abs(median(openErr)) <= 1,
      },
      {
        scenario: '3. latency accuracy',
        figure: 'reported p50 − truth, closed model (ms)',
        target: 'within ±1 ms',
        measured: spread(closedErr, fmt.ms),
        holds: Math.abs(median(closedErr)) <= 1,
      },
    ];
    const table = markdownTable(['tool', 'load', 'req/s', 'p50 ms', 'p50 − truth ms', 'p99 ms', 'server hold p50 ms', 'errors'], rows, 'llrrrrrr');
    return {
      summary,
      body: `Truth = ${HOLD_MS} ms + loopback round trip p50 ${rtt.p50.toFixed(3)} ms = **${truth.toFixed(3)} ms**. The round trip was
measured by one sequential client on a raw keep-alive TCP socket (no HTTP library), ${rtt.count} requests
after a warm-up, timing from writing a prebuilt GET to receiving the whole response of the immediate
node:http target, on the generator's core (mean ${rtt.mean.toFixed(3)} ms, p99 ${rtt.p99.toFixed(3)} ms). The same
client against the 20 ms target, ${direct.count} requests one at a time, saw p50 ${direct.p50.toFixed(3)} ms.

${table}

${ctx.rounds} interleaved round(s) of ${seconds} s per row. incident-load's open model sends ${RATE}/s on a
schedule and measures from the intended send time (figures from phase \`x\`, after 2 s of warm-up); the closed rows (incident-load vus=${CLOSED}, autocannon and
wrk with ${CLOSED} connections) measure from the actual send. autocannon's histogram has 1 ms resolution
(whole milliseconds), so its p50 can only read 20 or 21. "server hold" is the target's own measurement of
how long it held each request (10 µs buckets): it shows the 20 ms were exact during that run.`,
    };
  },
};

async function measureRtt(url, count, warmup = Math.ceil(count / 10)) {
  const [cmd, args] = onCpu(GENERATOR_CPU, process.execPath, [join(here, '..', 'loopback-rtt.js'), url, String(count), String(warmup)]);
  const r = await runProcess(cmd, args, { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`loopback-rtt failed: ${r.stderr.trim().slice(-300)}`);
  return JSON.parse(r.stdout);
}
