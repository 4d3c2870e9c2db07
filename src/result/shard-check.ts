// Whether results are the n segments of one run, each once, before they are merged. The run digest
// (`shard.run`) says which run a segment was planned for; the checks here hold each file to what every
// segment of that run must share besides — the speed, the seed, the phases, the timeline's windows — and
// to its own sums, so that an edited or mislabelled file is refused (naming it and what disagrees), never
// added in. A result is not signed: its index is a field anyone can rewrite, and nothing a segment
// measures tells which stripe of the schedule it sent. What can be told is a segment's data given twice
// under two indices (segment 0's file copied as segment 1): two segments that timed requests never
// measure exactly the same latencies, so identical measurements are the same segment's.
import type { PhaseResult, RunResult } from './run-result.js';

/** A result to merge and where it came from (a file name), for messages. */
export interface ShardInput {
  source: string;
  result: RunResult;
}

/** Shards that do not make one run: their sources and what is wrong, one sentence. */
export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

/** Checks that the inputs are the n segments of one run, each once; throws MergeError naming the files. */
export function checkShards(inputs: readonly ShardInput[]): void {
  if (inputs.length === 0) throw new MergeError('no results to merge');
  for (const { source, result } of inputs) {
    if (!result.shard) throw new MergeError(`${source}: not a segment's result (it has no "shard": run each part with ramp --segment i/n)`);
  }
  const first = inputs[0]!;
  const { run, count } = first.result.shard!;
  for (const { source, result } of inputs.slice(1)) {
    const shard = result.shard!;
    if (shard.run !== run)
      throw new MergeError(
        `${source}: a segment of another run than ${first.source} (run ${shard.run.slice(0, 12)} and ${run.slice(0, 12)}: a different profile, seed, phases or flags)`,
      );
    if (shard.count !== count) throw new MergeError(`${source}: segment ${shard.index} of ${shard.count}, but ${first.source} is one of ${count}`);
  }
  const byIndex = new Map<number, string>();
  for (const { source, result } of inputs) {
    const index = result.shard!.index;
    const other = byIndex.get(index);
    if (other !== undefined) throw new MergeError(`${other} and ${source} are both segment ${index} of ${count}`);
    byIndex.set(index, source);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const have = [...byIndex.keys()].sort((a, b) => a - b).join(', ');
    throw new MergeError(
      `segment${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} ${missing.length > 1 ? 'are' : 'is'} missing (given: ${have})`,
    );
  }
  for (const input of inputs) checkOwnSums(input);
  checkSameRun(inputs);
  checkPhases(inputs);
  checkTimelines(inputs);
  checkNotCopies(inputs);
}

/** Why a difference in what the segments of one run share means a file was not written as it is. */
const edited = (what: string): string => `the segments of one run share ${what}: was a file edited, or taken from another run?`;

/** What every segment of a run shares beside its digest: the speed, the seed, the planned length. */
function checkSameRun(inputs: readonly ShardInput[]): void {
  const first = inputs[0]!;
  const fields: [string, (r: RunResult) => unknown][] = [
    ['profile.speed', (r) => r.profile.speed],
    ['profile.seed', (r) => r.profile.seed],
    ['plannedMs', (r) => r.plannedMs],
  ];
  for (const { source, result } of inputs.slice(1)) {
    for (const [field, pick] of fields) {
      const mine = pick(result);
      const theirs = pick(first.result);
      if (mine !== theirs)
        throw new MergeError(`${source}: ${field} is ${JSON.stringify(mine)}, but ${first.source}'s is ${JSON.stringify(theirs)}: ${edited('it')}`);
    }
  }
}

/** A segment's total is its phases added: a phase taken out of a file leaves the total it was in. */
function checkOwnSums({ source, result }: ShardInput): void {
  for (const key of ['offered', 'sent', 'dropped', 'ok', 'failed'] as const) {
    const sum = result.phases.reduce((acc, p) => acc + p[key], 0);
    if (sum !== result.total[key])
      throw new MergeError(
        `${source}: total.${key} is ${result.total[key]}, but its phases add up to ${sum}: a phase is missing or was altered (the file is damaged or was edited)`,
      );
  }
}

/**
 * Every segment has the run's phases, in order: one that ran to its end has them all; one cut short
 * (interrupted, or its run broke) the ones it started. The run's are those of a segment that ran to
 * its end, else the longest list.
 */
function checkPhases(inputs: readonly ShardInput[]): void {
  const whole = (r: RunResult): boolean => !r.interrupted && !r.failure;
  const reference = inputs.find((i) => whole(i.result)) ?? inputs.reduce((longest, i) => (i.result.phases.length > longest.result.phases.length ? i : longest));
  const names = (phases: readonly PhaseResult[]): string => phases.map((p) => JSON.stringify(p.name)).join(', ') || 'none';
  const expected = reference.result.phases;
  for (const { source, result } of inputs) {
    if (result === reference.result) continue;
    const phases = result.phases;
    const differs = phases.findIndex((p, i) => !samePhase(p, expected[i]));
    const short = whole(result) ? phases.length !== expected.length : phases.length > expected.length;
    if (differs >= 0 || short) {
      const cut = whole(result) ? 'it ran to its end' : 'it was cut short';
      throw new MergeError(`${source}: its phases are ${names(phases)}, but ${reference.source}'s are ${names(expected)} (${cut}): ${edited('them')}`);
    }
  }
}

function samePhase(p: PhaseResult, q: PhaseResult | undefined): boolean {
  return q !== undefined && p.name === q.name && p.model === q.model && p.startMs === q.startMs;
}

/** Every segment's timeline is the run's: as many windows, each at the same time and as long. */
function checkTimelines(inputs: readonly ShardInput[]): void {
  const first = inputs[0]!;
  const windows = first.result.timeline;
  for (const { source, result } of inputs.slice(1)) {
    const mine = result.timeline;
    const at = mine.findIndex((w, i) => w.t !== windows[i]?.t || w.durationMs !== windows[i]?.durationMs);
    if (mine.length === windows.length && at < 0) continue;
    const shape = (list: typeof windows): string =>
      list.length === 0 ? 'no windows' : `${list.length} window${list.length > 1 ? 's' : ''} of ${list[0]!.durationMs} ms`;
    const where =
      at >= 0
        ? ` (window ${at} is at ${mine[at]!.t} ms for ${mine[at]!.durationMs} ms, ${first.source}'s at ${windows[at]?.t} ms for ${windows[at]?.durationMs} ms)`
        : '';
    throw new MergeError(`${source}: its timeline has ${shape(mine)}, but ${first.source}'s has ${shape(windows)}${where}: ${edited('its windows')}`);
  }
}

/**
 * No segment's measurements given twice. Two segments that timed anything never record the same
 * latencies to the microsecond in every window; two that sent nothing (more segments than arrivals)
 * measure the same nothing, and adding nothing twice is harmless.
 */
function checkNotCopies(inputs: readonly ShardInput[]): void {
  const seen = new Map<string, ShardInput>();
  for (const input of inputs) {
    const { total, phases, timeline } = input.result;
    if (total.latencyMs === null && total.sendLagMs === null) continue;
    const key = JSON.stringify({ total, phases, timeline });
    const other = seen.get(key);
    if (other)
      throw new MergeError(
        `${input.source}: segment ${input.result.shard!.index}'s measurements are exactly those of ${other.source} (segment ${other.result.shard!.index}): one segment's result given twice, relabelled; give each segment's own`,
      );
    seen.set(key, input);
  }
}
