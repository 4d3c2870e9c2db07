// 6. Memory: a long run must not need more memory than a short one (state is bounded: histograms,
// counters and a fixed number of timeline windows, never per-request records). Peak RSS of the
// incident-load process (VmHWM, the kernel's high-water mark) for a 120 s and a 20 s run at 2,000 req/s
// against node:http. VmHWM is sampled from /proc/<pid>/status every 100 ms and read again by the process
// itself at exit (bench/rss-at-exit.js, preloaded with --import), which also covers the final report.
import { fmt, markdownTable } from '../table.js';

const RATE = 2_000;

export default {
  id: 'memory',
  title: 'Peak RSS of a long run against a short one',
  async run(ctx) {
    const long = ctx.seconds(120, 30);
    const short = ctx.seconds(20, 5);
    const { incidentLoad } = ctx.peers;
    const target = await ctx.target('node-http');
    const runs = [];
    for (const seconds of [short, long]) {
      ctx.log(`memory: ${seconds} s at ${RATE}/s`);
      const r = await incidentLoad.run({ url: target.url, phases: [`x:${seconds}s:${RATE}`], connections: 50, rss: true });
      runs.push({ seconds, result: r, peakKb: Math.max(r.rss.sampledPeakKb ?? 0, r.rss.atExitKb ?? 0) || undefined });
    }
    const [s, l] = runs;
    const growth = l.peakKb / s.peakKb - 1;
    const rows = runs.map((r) => [`${r.seconds} s`, fmt.int(r.result.ok), fmt.mb(r.result.rss.sampledPeakKb), fmt.mb(r.result.rss.atExitKb), fmt.mb(r.peakKb)]);
    const table = markdownTable(['run', 'requests', 'VmHWM sampled', 'VmHWM at exit', 'peak RSS'], rows);
    const shortened = ctx.quick ? ` (shortened by --quick: ${long} s vs ${short} s; the full run compares 120 s with 20 s)` : '';
    return {
      summary: [
        {
          scenario: '6. memory',
          figure: `peak RSS ${long} s / ${short} s run at ${fmt.int(RATE)} req/s − 1${ctx.quick ? ' (--quick)' : ''}`,
          target: 'within 10 %',
          measured: fmt.pct(growth),
          holds: growth <= 0.1,
        },
      ],
      body: `${table}

incident-load \`--phase x:<duration>:${RATE} -c 50\` against node:http, one run each${shortened}. Peak RSS is the larger of
the two VmHWM readings; growth from the short to the long run is ${fmt.pct(growth)}.`,
    };
  },
};
