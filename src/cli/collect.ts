// `incident-load collect <log>...`: the shards of a run's segments read back from their logs (ramp
// --shard-stdout, as `kubectl logs` returns them: prefixed, interleaved, several pods in one file or one
// per file, "-" for stdin), then merged as `merge` does: one report, thresholds judged on the merge, one
// exit code. A segment that is not there whole is named, with what its log says: its error (exit 3), a
// truncated or damaged shard, or nothing at all (exit 2); nothing is merged then.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import type { ShardInput } from '../result/merge.js';
import { parseJsonArgument, toSavedResult } from '../result/saved-result.js';
import { readShardLogs, type FoundShard, type ShardLog, type ShardProblem } from '../result/shard-log.js';
import { valueFlag } from './flags.js';
import { mergedRunOptions, reportMerged, type MergeOptions } from './merge.js';
import { print } from './terminal.js';
import * as values from '../core/values.js';

/** A day of kubectl logs from a few hundred pods stays far below this; anything larger is not ours. */
const LOG_BYTES_MAX = 512 * 1024 * 1024;

interface CollectOptions extends MergeOptions {
  segments?: number;
}

export function collectCommand(): Command {
  return mergedRunOptions(
    new Command('collect')
      .description("read the segments' results from their logs (ramp --shard-stdout, e.g. kubectl logs) and merge them, thresholds judged on the merge")
      .argument('<logs...>', 'log files holding the shards (any prefixes, pods interleaved), or "-" for stdin')
      .option('--segments <n>', 'expect this many segments (default: as many as the shards found say)', valueFlag('--segments', values.wholeNumber(1, 10_000))),
  )
    .addHelpText(
      'after',
      `
Exit codes: 0 every threshold held on the merged result, 1 one failed, 2 a segment's shard is missing,
truncated or damaged (or other bad input), 3 a segment failed (its log holds its error instead of a
shard) or its run broke.

Examples:
  kubectl logs -l app.kubernetes.io/instance=my-run,app.kubernetes.io/component=generator \\
    --prefix --tail=-1 --max-log-requests=64 > run.log
  incident-load collect run.log --json merged.json
  kubectl logs -l app.kubernetes.io/instance=my-run,app.kubernetes.io/component=generator --tail=-1 | incident-load collect -`,
    )
    .action(async (logs: string[], options: CollectOptions) => {
      process.exitCode = await collectShards(logs, options);
    });
}

async function collectShards(sources: readonly string[], options: CollectOptions): Promise<number> {
  if (sources.filter((s) => s === '-').length > 1) throw new UsageError('collect: "-" (stdin) can be given once');
  const logs: ShardLog[] = [];
  for (const source of sources) logs.push(await readLog(source));
  const { shards, problems } = readShardLogs(logs);
  const { distinct, conflicts } = oneEach(shards);
  problems.push(...conflicts);
  const counts = new Set([...distinct, ...problems].map((s) => s.count));
  if (options.segments !== undefined) counts.add(options.segments);
  if (counts.size === 0)
    throw new UsageError(
      `no shard in ${sources.join(', ')}: were the segments run with ramp --shard-stdout, and is this their whole log (kubectl logs --tail=-1)?`,
    );
  if (counts.size > 1)
    throw new UsageError(`the logs hold segments of runs split ${[...counts].sort((a, b) => a - b).join(' and ')} ways: collect one run's logs`);
  const count = [...counts][0]!;

  const accounted = new Set([...distinct.map((s) => s.index), ...problems.map((p) => p.index)]);
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !accounted.has(i));
  const messages = [
    ...problems.sort((a, b) => a.index - b.index).map((p) => p.message),
    ...missing.map(
      (i) => `segment ${i} of ${count}: nothing in the logs (no shard, no error): its pod never started, its log is gone, or it is not among the logs given`,
    ),
  ];
  // A segment with a whole shard after an error line (the same log read twice, say) is whole.
  const failed = problems.filter((p) => !distinct.some((s) => s.index === p.index));
  if (failed.length > 0 || missing.length > 0) {
    for (const m of messages) print(process.stderr, `incident-load: ${m}\n`);
    const bad = [...new Set([...failed.map((p) => p.index), ...missing])].sort((a, b) => a - b);
    print(
      process.stderr,
      `incident-load: nothing merged: segment${bad.length > 1 ? 's' : ''} ${bad.join(', ')} of ${count} ${bad.length > 1 ? 'are' : 'is'} not whole\n`,
    );
    return failed.some((p) => p.kind === 'error') ? 3 : 2;
  }

  const inputs: ShardInput[] = distinct.map((s) => {
    const source = `${s.source} (segment ${s.index} of ${s.count})`;
    return { source, result: toSavedResult(parseJsonArgument(s.json, source), source) };
  });
  return reportMerged(inputs, options);
}

/** One shard per segment: the same one found twice (a log given twice) is one; two different ones are a conflict. */
function oneEach(shards: readonly FoundShard[]): { distinct: FoundShard[]; conflicts: ShardProblem[] } {
  const byIndex = new Map<string, FoundShard>();
  const conflicts: ShardProblem[] = [];
  for (const s of shards) {
    const key = `${s.index}/${s.count}`;
    const known = byIndex.get(key);
    if (!known) byIndex.set(key, s);
    else if (known.json !== s.json)
      conflicts.push({
        index: s.index,
        count: s.count,
        source: s.source,
        kind: 'conflict',
        message: `segment ${s.index} of ${s.count} has two different shards (${known.source} and ${s.source}): was it run twice? collect one run's logs`,
      });
  }
  const conflicting = new Set(conflicts.map((c) => `${c.index}/${c.count}`));
  return { distinct: [...byIndex.entries()].filter(([k]) => !conflicting.has(k)).map(([, s]) => s), conflicts };
}

async function readLog(source: string): Promise<ShardLog> {
  if (source === '-') return { source: 'stdin', text: await readStdin() };
  let fd: number;
  try {
    fd = openSync(source, 'r');
  } catch (err) {
    throw new UsageError(`${source}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)}): expected a log file holding shards`);
  }
  try {
    return { source, text: readFile(fd, source) };
  } finally {
    closeSync(fd);
  }
}

/** A regular file, whole, at most LOG_BYTES_MAX. */
function readFile(fd: number, source: string): string {
  const stat = fstatSync(fd);
  if (!stat.isFile()) throw new UsageError(`${source}: expected a log file (or "-" for stdin), and this is not a regular file`);
  if (stat.size > LOG_BYTES_MAX) throw new UsageError(`${source}: expected a log of at most ${LOG_BYTES_MAX / 1024 / 1024} MB, got ${stat.size} bytes`);
  return readFileSync(fd, 'utf8');
}

/** Standard input to its end (a pipe from kubectl logs), at most LOG_BYTES_MAX. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > LOG_BYTES_MAX) throw new UsageError(`stdin: expected a log of at most ${LOG_BYTES_MAX / 1024 / 1024} MB`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
