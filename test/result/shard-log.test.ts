// A segment's result through its log: it comes back exactly as written, whatever a log collector puts in
// front of its lines and however pods interleave; a shard that lost a line, or whose lines were altered, is
// named as such, never merged; a segment's error line is read as its failure.
import { describe, expect, it } from 'vitest';
import { readShardLogs, shardErrorLine, shardLogLines } from '../../src/result/shard-log.js';
import type { RunResult } from '../../src/result/run-result.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from '../report/run-fixture.js';

function shard(index: number, count: number): RunResult {
  const result = simulateRun(RAMP_WITH_FAILING_SURGE);
  const run = 'a'.repeat(32);
  return { ...result, shard: { run, index, count, requestedStart: result.startedAt, actualStart: result.startedAt, startSkewMs: 0 } };
}

describe('shard logs', () => {
  const [a, b] = [shard(0, 2), shard(1, 2)];
  const [la, lb] = [shardLogLines(a), shardLogLines(b)];

  it('carries the result exactly, in lines well under the 16 KiB a container runtime splits at', () => {
    expect(la.length).toBeGreaterThan(2);
    for (const line of la) expect(line.length).toBeLessThan(4096);
    const { shards, problems } = readShardLogs([{ source: 'a.log', text: la.join('\n') }]);
    expect(problems).toEqual([]);
    expect(shards.map((s) => [s.index, s.count])).toEqual([[0, 2]]);
    expect(JSON.parse(shards[0]!.json)).toEqual(JSON.parse(JSON.stringify(a)));
  });

  it('ignores prefixes (kubectl --prefix, --timestamps) and other lines, and reads interleaved pods', () => {
    const mixed: string[] = [];
    for (let i = 0; i < Math.max(la.length, lb.length); i++) {
      if (la[i]) mixed.push(`[pod/run-0-abcde/incident-load] ${la[i]}`);
      mixed.push('2026-12-01T12:00:00.000000000Z some report line');
      if (lb[i]) mixed.push(`2026-12-01T12:00:00.123456789Z ${lb[i]}\r`);
    }
    const { shards, problems } = readShardLogs([{ source: 'all.log', text: mixed.join('\n') }]);
    expect(problems).toEqual([]);
    expect(shards.map((s) => s.index).sort()).toEqual([0, 1]);
  });

  it('names a truncated shard (lines lost, no end line) and a damaged one (a line altered)', () => {
    const cut = readShardLogs([{ source: 'cut.log', text: la.slice(0, 2).join('\n') }]);
    expect(cut.shards).toEqual([]);
    expect(cut.problems).toMatchObject([{ index: 0, kind: 'truncated' }]);
    expect(cut.problems[0]!.message).toMatch(/^cut\.log: segment 0 of 2: its shard is truncated \(1 of \d+ lines, no end line\)/);

    const altered = [...la];
    altered[1] = altered[1]!.replace(/ (\S)(\S*)$/, (_, c: string, rest: string) => ` ${c === 'A' ? 'B' : 'A'}${rest}`);
    const damaged = readShardLogs([{ source: 'bad.log', text: altered.join('\n') }]);
    expect(damaged.shards).toEqual([]);
    expect(damaged.problems).toMatchObject([{ index: 0, kind: 'damaged' }]);
  });

  it("reads a segment's error line as its failure, message and all", () => {
    const line = shardErrorLine(1, 2, 'segment 1/2: the start barrier at x:7070 did not answer\nwithin 2m');
    const { problems } = readShardLogs([{ source: 'b.log', text: `[pod/b] ${line}\n` }]);
    expect(problems).toEqual([
      {
        index: 1,
        count: 2,
        source: 'b.log',
        kind: 'error',
        message: 'b.log: segment 1 of 2 failed before writing its shard: segment 1/2: the start barrier at x:7070 did not answer within 2m',
      },
    ]);
  });
});
