// `incident-load sweep <profile> --vary key=v1,v2,... [--vary key2=...]`: what-if sweeps. Each value (or
// each combination of two keys' values) is a variant: the profile run in virtual time (ramp --virtual) with
// that setting, one variant after the other, all with one seed. Every value is read and every variant's
// plan built before anything runs (bad input: exit 2, naming --vary, the key and the value). Prints a
// table with a row per variant, writes --json (every variant's result) and --html (each phase's success
// against the varied value). Exit 0 when every variant's thresholds held, 1 when one failed in any
// variant, 3 when a variant's run broke or an output could not be written where asked, 130 when
// interrupted (the variant under way stops, the rest are not run; what was measured is written).
import { Command } from 'commander';
import { formatDuration } from '../core/units.js';
import { UsageError } from '../core/errors.js';
import { toolVersion } from '../core/version.js';
import * as values from '../core/values.js';
import { LIMITS } from '../core/limits.js';
import { loadProfile } from '../profile/load.js';
import { totalDurationMs } from '../schedule/phase.js';
import type { RunOverrides } from '../run/plan.js';
import type { RunHandle } from '../run/start-run.js';
import { parseVarySpec, sweepVariants, type VarySpec } from '../run/sweep.js';
import { DEFAULT_RTT_MS } from '../run/virtual-rtt.js';
import type { RunResult } from '../result/run-result.js';
import { SWEEP_SCHEMA, type SweepDocument } from '../result/sweep-document.js';
import { renderSweep } from '../report/text/sweep-table.js';
import { describeFailure } from '../report/text/header.js';
import { formatPercent } from '../report/text/figures.js';
import { renderSweepHtml } from '../report/html/sweep-page.js';
import { checkJsonTarget, checkReportTargets, jsonSavedMessage, writeJson, writeReports } from './output-file.js';
import { onStopSignal } from './signals.js';
import { collect, durationFlag, keyValue, valueFlag } from './flags.js';
import { terminalStyle, print } from './terminal.js';
import { runProgressPrinter } from './progress-printer.js';

interface SweepOptions {
  vary?: VarySpec[];
  mock?: [string, string][];
  seed?: number;
  rtt?: number;
  threshold?: string[];
  /** False with --no-thresholds: the profile's thresholds are dropped. */
  thresholds: boolean;
  json?: string;
  html?: string;
  quiet?: boolean;
  color: boolean;
  progress: boolean;
}

const HELP = `
Keys: mock.<setting> (any --mock key: mock.fleet.workers=8,16), client.<setting> (client.connections,
client.maxInFlight, client.timeout, client.arrivals, client.retries.max, client.retries.backoff), or rate.
Each value is read as its flag or profile field reads it (client.timeout=2s,5s; client.arrivals=uniform,poisson);
rate=0.5,1,2 multiplies the rate of every open-model phase (closed-model phases keep their users).
With two --vary, every combination runs (their product, at most ${LIMITS.sweepVariantsMax} variants).

Every variant is simulated in virtual time (as ramp --virtual), one after the other, with the same seed:
each is offered exactly the same arrivals, and the same sweep gives the same table on any machine.
Exit 0 when every variant's thresholds held, 1 when any failed, 2 for bad input, 3 when a variant's run
broke, 130 when interrupted (after writing what was measured).

Examples:
  incident-load sweep quickstart --vary mock.fleet.workers=8,16,24,32
  incident-load sweep quickstart --vary rate=0.5,1,1.5,2 --html sweep.html
  incident-load sweep retry-storm --vary client.retries.max=0,1,3 --vary client.retries.backoff=none,full-jitter --json sweep.json`;

export function sweepCommand(): Command {
  return new Command('sweep')
    .description('what-if sweeps: run a profile in virtual time once per value of a setting (or two), one row per variant')
    .argument('<profile>', 'bundled profile name or path to a .yaml/.json profile (its target must be the bundled mock)')
    .option('--vary <key=v1,v2,...>', 'a setting and its values, once or twice (twice: every combination); the keys are below', collect(parseVarySpec))
    .option('--mock <key=value>', 'override a mock setting in every variant (repeatable), as ramp --mock', collect(keyValue('--mock')))
    .option('--seed <n>', "seed of every variant (default: the profile's)", valueFlag('--seed', values.seed))
    .option(
      '--rtt <dur>',
      `the client's network round trip, incident time (default ${formatDuration(DEFAULT_RTT_MS)}), as ramp --virtual --rtt`,
      durationFlag('--rtt', { positive: true }),
    )
    .option('--threshold <expr>', "pass/fail rule (repeatable), added to the profile's and judged in every variant, as ramp --threshold", collect(String))
    .option('--no-thresholds', "drop the profile's thresholds: only --threshold rules are judged")
    .option('--json <file|->', `write the sweep (schema ${SWEEP_SCHEMA}, with every variant's full result); "-" for stdout`)
    .option('--html <file>', "write the sweep as one self-contained HTML file: each phase's success and p99 against the varied value, the table")
    .option('-q, --quiet', 'print no table or progress (exit code and --json only)')
    .option('--no-color', 'no colour even on a terminal')
    .option('--no-progress', 'no line per variant or live progress line')
    .addHelpText('after', HELP)
    .action(async (ref: string, options: SweepOptions) => {
      process.exitCode = await sweep(ref, options);
    });
}

async function sweep(ref: string, options: SweepOptions): Promise<number> {
  checkJsonTarget(options.json);
  checkReportTargets({ html: options.html });
  const profile = loadProfile(ref);
  const base: RunOverrides = {};
  if (options.seed !== undefined) base.seed = options.seed;
  if (options.threshold !== undefined) base.thresholds = options.threshold;
  if (!options.thresholds) base.dropProfileThresholds = true;
  if (options.mock !== undefined) base.mock = options.mock;
  if (profile.target !== 'mock')
    throw new UsageError(
      `sweep simulates the bundled mock's model in virtual time, and profile ${ref} targets ${profile.target}: run a profile whose target is the mock`,
    );
  const { varies, variants } = sweepVariants(profile, base, options.vary ?? []);
  const rttMs = options.rtt ?? DEFAULT_RTT_MS;
  // The run engine loads once the profile and the variants are accepted: a refused sweep does without it.
  const { startVirtualRun } = await import('../run/virtual-run.js');

  // With --json -, stdout carries the JSON, so the table moves to stderr.
  const reportStream = options.json === '-' ? process.stderr : process.stdout;
  const style = terminalStyle(reportStream, options.color);
  const progressStyle = terminalStyle(process.stderr, options.color);
  const showProgress = !options.quiet && options.progress;

  let current: RunHandle | undefined;
  let interrupted = false;
  const stopHandling = onStopSignal((signal, count) => {
    if (count > 1) process.exit(130);
    interrupted = true;
    print(
      process.stderr,
      `\nincident-load: interrupted (${signal}) — stopping this variant, running no more, writing what was measured (again to quit at once)\n`,
    );
    current?.interrupt();
  });

  const results: (RunResult | undefined)[] = [];
  try {
    for (const [i, variant] of variants.entries()) {
      if (interrupted) break;
      const which = `variant ${i + 1}/${variants.length} ${variant.label}`;
      const incidentMs = totalDurationMs(variant.plan.phases);
      if (showProgress) print(process.stderr, `incident-load: ${which}: ${formatDuration(incidentMs)} in virtual time, seed ${variant.plan.seed}\n`);
      const handle = startVirtualRun(variant.plan, { rttMs });
      current = handle;
      const prefix = `${i + 1}/${variants.length}  `;
      const printer = showProgress ? runProgressPrinter(handle, progressStyle, 10_000, prefix) : undefined;
      let result: RunResult;
      try {
        result = await handle.result;
      } finally {
        printer?.stop();
        current = undefined;
      }
      results.push(result);
      if (showProgress) print(process.stderr, `incident-load: ${which}: ${finishedLine(result)}\n`);
    }
  } catch (err) {
    stopHandling();
    throw err;
  }

  const doc: SweepDocument = {
    schema: SWEEP_SCHEMA,
    tool: { name: 'incident-load', version: toolVersion() },
    profile: profile.name,
    vary: varies.map((v) => ({ key: v.key, values: v.values.map((x) => x.value) })),
    variants: variants.map((v, i) => ({ values: v.values, result: results[i] ?? null })),
  };
  // The JSON first: nothing that goes wrong while rendering can lose the measurements.
  const saved = options.json === undefined ? undefined : await writeJson(options.json, doc);
  const reportsLost = writeReports({ html: options.html }, { html: () => renderSweepHtml(doc) });
  if (!options.quiet) print(reportStream, `${renderSweep(doc, style)}\n`);
  stopHandling();
  const jsonLost = saved && jsonSavedMessage(saved);
  for (const message of [...(jsonLost ? [jsonLost] : []), ...reportsLost]) print(process.stderr, `incident-load: ${message}\n`);
  if (interrupted) return 130;
  const measured = results.filter((r): r is RunResult => r !== undefined);
  const broken = measured.filter((r) => r.failure);
  for (const [i, r] of results.entries())
    if (r?.failure) print(process.stderr, `incident-load: ${variants[i]!.label}: ${describeFailure(r)} — partial results\n`);
  if (broken.length > 0 || jsonLost || reportsLost.length > 0) return 3;
  return measured.every((r) => r.thresholds.every((t) => t.ok)) ? 0 : 1;
}

/** "done in 0.4s: warmup 100%, ramp 87.2%, shrunk 61.3%; thresholds 2/3" */
function finishedLine(result: RunResult): string {
  const success = result.phases.map((p) => `${p.name} ${p.offered > 0 ? formatPercent(p.successRatio) : '-'}`).join(', ');
  const held = result.thresholds.filter((t) => t.ok).length;
  const thresholds = result.thresholds.length > 0 ? `; thresholds ${held}/${result.thresholds.length}` : '';
  const cut = result.interrupted ? ` (interrupted at ${formatDuration(result.total.durationMs)})` : '';
  return `${result.interrupted ? 'stopped' : 'done'} in ${formatDuration(result.wallMs)}${cut}: success ${success}${thresholds}`;
}
