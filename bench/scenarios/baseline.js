// 10. This build against a baseline build, on the HTTP hot path: did a change cost anything? Runs only
// when INCIDENT_LOAD_BENCH_BASELINE names another checkout with its dist/ built (e.g. a worktree of the
// commit before the change: `git worktree add /tmp/base <commit> && cd /tmp/base && npm ci`). Both builds
// run the same loads against the same nginx, interleaved round by round (this build first, then the
// baseline, alternating which goes first each round): closed loop at 50 connections for CPU µs per
// request (the steadiest figure on a shared machine), and the open model at 2k, 5k and 10k req/s for send
// lag p99 from t0. Issue 21 used it for the clock/transport seam: "the seam must cost nothing measurable".
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fmt, markdownTable, median, spread } from '../table.js';
import { CLI } from '../targets.js';

const RATES = [2_000, 5_000, 10_000];
const CONNECTIONS = 50;

function describeBuild(dir) {
  try {
    return execFileSync('git', ['-C', dir, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim().slice(0, 70);
  } catch {
    return dir;
  }
}

export default {
  id: 'baseline',
  title: 'This build against a baseline build (INCIDENT_LOAD_BENCH_BASELINE)',
  async run(ctx) {
    const dir = process.env.INCIDENT_LOAD_BENCH_BASELINE;
    const baselineCli = dir && join(dir, 'bin', 'incident-load.js');
    if (!dir || !existsSync(join(dir, 'dist', 'cli', 'main.js'))) {
      ctx.skip('baseline', 'INCIDENT_LOAD_BENCH_BASELINE does not name a checkout with a built dist/');
      return { summary: [], body: 'Not run: set INCIDENT_LOAD_BENCH_BASELINE to a checkout with a built dist/.' };
    }
    const { incidentLoad } = ctx.peers;
    const target = (await ctx.target('nginx')) ?? (await ctx.target('node-http'));
    const seconds = ctx.seconds(5);
    const rounds = ctx.roundsOr(6);
    const builds = [
      { name: `this build (${describeBuild(join(CLI, '..', '..'))})`, cli: CLI },
      { name: `baseline (${describeBuild(dir)})`, cli: baselineCli },
    ];
    const loads = [
      { name: `closed loop, ${CONNECTIONS} users`, phases: [`x:${seconds}s:vus=${CONNECTIONS}`] },
      ...RATES.map((rate) => ({ name: `open model, ${rate.toLocaleString('en-US')} req/s`, phases: [`x:${seconds}s:${rate}`], rate })),
    ];
    const rows = [];
    const summary = [];
    for (const load of loads) {
      const byBuild = builds.map(() => []);
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? [0, 1] : [1, 0];
        for (const b of order) {
          ctx.log(`baseline: ${load.name}, ${b === 0 ? 'this build' : 'baseline'}, round ${round + 1}/${rounds}`);
          byBuild[b].push(await incidentLoad.run({ url: target.url, phases: load.phases, connections: CONNECTIONS, cli: builds[b].cli }));
        }
      }
      const cpuUs = (runs) => runs.map((r) => (r.cpuMs * 1000) / Math.max(1, r.completed + (r.raw.readiness?.warmUpRequests ?? 0)));
      const lag = (runs) => runs.map((r) => r.raw.total.sendLagMs?.p99);
      for (const [b, build] of builds.entries()) {
        const runs = byBuild[b];
        rows.push([
          load.name,
          build.name,
          spread(
            runs.map((r) => r.rps),
            fmt.int,
          ),
          spread(cpuUs(runs), (x) => x.toFixed(1)),
          load.rate ? spread(lag(runs), fmt.ms) : '—',
        ]);
      }
      const ratio = median(cpuUs(byBuild[0])) / median(cpuUs(byBuild[1]));
      summary.push({
        scenario: '10. baseline',
        figure: `CPU µs / request, this build / baseline, ${load.name}`,
        target: 'reported',
        measured: fmt.ratio(ratio),
        holds: undefined,
      });
    }
    return {
      summary,
      body: `${markdownTable(['load', 'build', 'req/s', 'CPU µs / request', 'send lag p99 ms'], rows, 'llrrr')}

${rounds} interleaved rounds of ${seconds} s per build and load, against ${target.name}. CPU µs / request is
the generator process's CPU (start-up and warm-up included) over the requests it completed plus its
warm-up's; send lag p99 is over the whole run from t0.`,
    };
  },
};
