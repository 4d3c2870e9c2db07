#!/usr/bin/env node
// `npm run bench` (= build, then `node bench/run.js`): incident-load against its peers on loopback targets
// this script starts itself, scenario by scenario, with interleaved repetitions. Prints a markdown report
// on stdout (progress on stderr) and writes it to bench/results.md; `--quick` and `--only` write
// bench/results-quick.md instead, so that a short run never replaces the committed full one.
//
//   node bench/run.js [--quick] [--only <scenario>[,<scenario>...]] [--out <file>]
//
// Scenarios: throughput, open-model, latency, mock-capacity, simulated-time, memory, scale-out,
// proxy-overhead, virtual-time, baseline (or 1-10). `baseline` runs only when INCIDENT_LOAD_BENCH_BASELINE
// names another checkout with a built dist/ (it compares this build's hot path with that one's).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { backgroundBetween, startBackgroundMonitor, stopBackgroundMonitor, waitSummary } from './background.js';
import { BenchContext } from './context.js';
import { describeMachine } from './machine.js';
import { incidentLoad } from './peers.js';
import { installCleanup, isClosing, stopAll } from './processes.js';
import { renderReport } from './report.js';
import { SCENARIOS } from './scenarios/index.js';
import { nginxVersion } from './targets.js';

const here = fileURLToPath(new URL('.', import.meta.url));

const USAGE = `usage: node bench/run.js [--quick] [--only <scenario>[,...]] [--out <file>]
scenarios: ${SCENARIOS.map((s, i) => `${i + 1} ${s.id}`).join(', ')}`;

async function main() {
  let args;
  try {
    args = parseArgs({
      options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (err) {
    process.stderr.write(`bench: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let scenarios = SCENARIOS;
  if (args.only) {
    const wanted = args.only.split(',').map((s) => s.trim());
    scenarios = wanted.map((w) => SCENARIOS.find((s, i) => s.id === w || String(i + 1) === w));
    const unknown = wanted.filter((_, i) => !scenarios[i]);
    if (unknown.length) {
      process.stderr.write(`bench: --only: unknown scenario ${unknown.join(', ')}\n${USAGE}\n`);
      return 2;
    }
  }
  if (!incidentLoad.available()) {
    process.stderr.write('bench: dist/ is missing; build first (`npm run build`, or use `npm run bench`, which builds)\n');
    return 2;
  }

  installCleanup();
  const ctx = new BenchContext({ quick: args.quick });
  const machine = describeMachine();
  const versions = {
    'incident-load': incidentLoad.version(),
    autocannon: ctx.available.autocannon ? ctx.peers.autocannon.version() : undefined,
    wrk: ctx.available.wrk ? await ctx.peers.wrk.version() : undefined,
    nginx: await nginxVersion(),
  };
  if (!versions.autocannon) ctx.skip('autocannon', 'not installed (it is a devDependency: run `npm install`)');
  if (!versions.wrk) ctx.skip('wrk', 'not installed (Debian: `apt-get install wrk`); its columns are left out');
  if (!versions.nginx) ctx.skip('nginx target', 'nginx not installed (Debian: `apt-get install nginx-light`)');

  startBackgroundMonitor({ budgetMs: args.quick ? 60_000 : 300_000 });
  const started = performance.now();
  const sections = [];
  try {
    for (const scenario of scenarios) {
      if (isClosing()) break;
      const number = SCENARIOS.indexOf(scenario) + 1;
      ctx.log(`— ${number}. ${scenario.title}`);
      const t0 = performance.now();
      try {
        const result = await scenario.run(ctx);
        sections.push({ number, scenario, ...result, seconds: (performance.now() - t0) / 1000, background: backgroundBetween(t0, performance.now()) });
      } catch (err) {
        if (isClosing()) break;
        ctx.log(`${scenario.id} failed: ${err.stack ?? err}`);
        sections.push({
          number,
          scenario,
          failed: String(err.message ?? err),
          summary: [
            {
              scenario: `${number}. ${scenario.id}`,
              figure: 'scenario did not run',
              target: '',
              measured: `error: ${String(err.message ?? err).slice(0, 200)}`,
              holds: false,
            },
          ],
          seconds: (performance.now() - t0) / 1000,
        });
      }
    }
  } finally {
    stopBackgroundMonitor();
    await ctx.stopTargets();
    await stopAll();
  }
  if (isClosing()) return 130;

  const report = renderReport({
    machine,
    versions,
    quick: args.quick,
    only: args.only,
    sections,
    skipped: ctx.skipped,
    rounds: ctx.rounds,
    background: { ...backgroundBetween(started, performance.now()), ...waitSummary() },
    totalSeconds: (performance.now() - started) / 1000,
  });
  const out = args.out ?? join(here, args.quick || args.only ? 'results-quick.md' : 'results.md');
  writeFileSync(out, report);
  process.stdout.write(report);
  ctx.log(`wrote ${out}`);
  return sections.some((s) => s.failed) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (err) => {
    process.stderr.write(`bench: ${err.stack ?? err}\n`);
    await stopAll();
    process.exitCode = 1;
  },
);
