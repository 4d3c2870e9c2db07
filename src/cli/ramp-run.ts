// ramp's run, once its flags and its profile have been accepted (ramp.ts): the start barrier met, the run
// started over HTTP or in virtual time, its progress shown, its result saved and reported. A file of its
// own, loaded only then, so that a ramp refused for bad input never loads the run engine, undici or the
// reporters.
import { formatDuration } from '../core/units.js';
import { formatSegment } from '../core/segment.js';
import type { RunPlan } from '../run/plan.js';
import { startRun } from '../run/start-run.js';
import { startVirtualRun } from '../run/virtual-run.js';
import { DEFAULT_RTT_MS } from '../run/virtual-rtt.js';
import { renderRunReport } from '../report/text/run-report.js';
import { describeFailure } from '../report/text/header.js';
import type { RunResult } from '../result/run-result.js';
import { jsonSavedMessage, savedMessage, writeJson, writeOutput, writeReports } from './output-file.js';
import { renderRunJunit } from '../report/junit/junit.js';
import { renderRunSummary } from '../report/markdown/summary.js';
import { renderRunHtml } from '../report/html/run-page.js';
import { onStopSignal } from './signals.js';
import { totalDurationMs } from '../schedule/phase.js';
import { terminalStyle, print } from './terminal.js';
import { runProgressPrinter } from './progress-printer.js';
import { shardLogLines } from '../result/shard-log.js';
import { controlBeforeBarrier, meetAtBarrier, type BarrierPlan, type Met } from '../run/barrier/meet.js';
import { BarrierError } from '../run/barrier/protocol.js';
import type { RampOptions } from './ramp.js';

/** Runs `plan` as `options` say, meeting `barrier` first if there is one; resolves to the exit code. */
export async function runRamp(plan: RunPlan, options: RampOptions, barrier: BarrierPlan | undefined): Promise<number> {
  if (barrier) await labelled(plan, () => controlBeforeBarrier(plan, barrier));
  // The barrier is met once this segment is ready to send (warmed up, its connections open), so that
  // the start every segment is given is not eaten by a warm-up still to do.
  let met: Met | undefined;
  const rendezvous = barrier
    ? async (): Promise<number> => {
        met = await meet(plan, barrier);
        plan.startAt = met.startAt;
        return met.startAt;
      }
    : undefined;
  try {
    return await report(plan, options, rendezvous);
  } finally {
    await met?.close();
  }
}

/** A barrier's error, said as this segment's. */
async function labelled<T>(plan: RunPlan, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof BarrierError) throw new BarrierError(`segment ${formatSegment(plan.segment)}: ${err.message}`, err.missing);
    throw err;
  }
}

/** The barrier, with what it does said on stderr (where a pod's log shows it). */
async function meet(plan: RunPlan, barrier: BarrierPlan): Promise<Met> {
  const label = `segment ${formatSegment(plan.segment)}`;
  return labelled(plan, async () => {
    const met = await meetAtBarrier(plan, {
      ...barrier,
      onListening: (address) =>
        print(
          process.stderr,
          `incident-load: ${label}: start barrier listening on ${address} for ${plan.segment.count} segments (up to ${formatDuration(barrier.timeoutMs)})\n`,
        ),
    });
    print(process.stderr, `incident-load: ${label}: every segment is at the barrier; starting at ${new Date(met.startAt).toISOString()}\n`);
    return met;
  });
}

async function report(plan: RunPlan, options: RampOptions, rendezvous?: () => Promise<number>): Promise<number> {
  // With --json - or --shard-stdout, stdout carries the result, so the human report moves to stderr.
  const reportStream = options.json === '-' || options.shardStdout ? process.stderr : process.stdout;
  const style = terminalStyle(reportStream, options.color);
  const progressStyle = terminalStyle(process.stderr, options.color);
  const handle = options.virtual ? startVirtualRun(plan, { rttMs: options.rtt ?? DEFAULT_RTT_MS }) : startRun(plan, { rendezvous });

  const stopHandling = onStopSignal((signal, count) => {
    if (count > 1) process.exit(130);
    print(process.stderr, `\nincident-load: interrupted (${signal}) — finishing in-flight requests and writing what was measured (again to quit at once)\n`);
    handle.interrupt();
  });

  const totalWallMs = totalDurationMs(plan.phases) / plan.speed;
  const printer =
    options.quiet || !options.progress ? undefined : runProgressPrinter(handle, progressStyle, Math.max(2_000, Math.min(10_000, totalWallMs / 10)));

  let result: RunResult;
  try {
    result = await handle.result;
  } finally {
    printer?.stop();
  }

  // The JSON first: nothing that goes wrong while rendering the report can lose the measurement.
  const saved = options.json === undefined ? undefined : await writeJson(options.json, result);
  const reportsLost = writeReports(options, {
    html: () => renderRunHtml(result),
    junit: () => renderRunJunit(result),
    summary: () => renderRunSummary(result),
  });
  // The shard is this segment's only way out: kept in a private file when stdout cannot take it.
  const shard =
    options.shardStdout && result.shard
      ? await writeOutput('-', `${shardLogLines(result).join('\n')}\n`, `segment-${result.shard.index}-of-${result.shard.count}.log`)
      : undefined;
  if (!options.quiet) print(reportStream, `${renderRunReport(result, style)}\n`);
  stopHandling();
  const jsonLost = saved && jsonSavedMessage(saved);
  const shardLost = shard && savedMessage('--shard-stdout', shard, 'the shard for collect');
  const messages = [jsonLost, shardLost, ...reportsLost].filter((m) => m !== undefined);
  const lost = messages.length > 0;
  for (const message of messages) print(process.stderr, `incident-load: ${message}\n`);
  if (result.interrupted) return 130;
  const failure = describeFailure(result);
  if (failure) print(process.stderr, `incident-load: ${failure} — partial results${saved?.where === 'target' || saved?.where === 'stdout' ? ' saved' : ''}\n`);
  if (failure || lost) return 3;
  // A segment judges its slice only for the record: thresholds are the merge's to decide (k6-operator's
  // runners each fail on their own slice; the one verdict belongs to the whole run).
  if (result.shard) return 0;
  return result.thresholds.every((t) => t.ok) ? 0 : 1;
}
