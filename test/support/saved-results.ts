// Saved results for tests of the readers (report, compare, merge, collect): a simulated run's result,
// its segments, their shard logs, and HDR histograms forged the way the 2026-12-07 audit forged them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { RunResult } from '../../src/result/run-result.js';
import { shardLogLines } from '../../src/result/shard-log.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from '../report/run-fixture.js';

export const simulated = (): RunResult => simulateRun(RAMP_WITH_FAILING_SURGE);

/**
 * Segment `index` of `count` of one run: a simulated result with its shard. Each index measures its own
 * (the simulation seeded apart, the run's seed kept), as segments do: merge refuses two that measured
 * exactly the same, one segment's data given twice.
 */
export function segment(index: number, count: number, result = ownMeasurements(index)): RunResult {
  const run = 'a'.repeat(32);
  return { ...result, shard: { run, index, count, requestedStart: result.startedAt, actualStart: result.startedAt, startSkewMs: 0 } };
}

function ownMeasurements(index: number): RunResult {
  const result = simulateRun({ ...RAMP_WITH_FAILING_SURGE, seed: RAMP_WITH_FAILING_SURGE.seed + index });
  return { ...result, profile: { ...result.profile, seed: RAMP_WITH_FAILING_SURGE.seed } };
}

export const shardLog = (result: RunResult): string => shardLogLines(result).join('\n') + '\n';

export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

export interface Forged {
  /** What the payload-length field says (default: the payload's real length). */
  payloadLength?: number;
  digits?: number;
  lowest?: number;
  highest?: number;
  /** The payload itself (ZigZag LEB128 counts). */
  payload?: Buffer;
}

/** An HDR histogram in hdr-histogram-js's V2 compressed base64, with whatever header it is told. */
export function forgedHistogram(f: Forged = {}): string {
  const payload = f.payload ?? Buffer.from([2]); // one count of 1 in the first bucket
  const inner = Buffer.alloc(40 + payload.length);
  inner.writeInt32BE(0x1c849303 | 0x10, 0);
  inner.writeInt32BE(f.payloadLength ?? payload.length, 4);
  inner.writeInt32BE(0, 8);
  inner.writeInt32BE(f.digits ?? 3, 12);
  writeInt64(inner, 16, f.lowest ?? 1);
  writeInt64(inner, 24, f.highest ?? 3_600_000_000);
  writeInt64(inner, 32, 1);
  payload.copy(inner, 40);
  const compressed = deflateSync(inner);
  const outer = Buffer.alloc(8 + compressed.length);
  outer.writeInt32BE(0x1c849304 | 0x10, 0);
  outer.writeInt32BE(compressed.length, 4);
  compressed.copy(outer, 8);
  return outer.toString('base64');
}

function writeInt64(buffer: Buffer, at: number, value: number): void {
  buffer.writeUInt32BE(Math.floor(value / 2 ** 32), at);
  buffer.writeUInt32BE(value % 2 ** 32, at + 4);
}

/** `result` with its first phase's latency histogram replaced. */
export function withPhaseHistogram(result: RunResult, encoded: string): RunResult {
  const [first, ...rest] = result.phases;
  return { ...result, phases: [{ ...first!, histograms: { ...first!.histograms, latency: encoded } }, ...rest] };
}

/** `result` with every histogram (phases, total, timeline windows) replaced. */
export function withEveryHistogram(result: RunResult, encoded: string): RunResult {
  const all = { latency: encoded, ok: encoded, service: encoded, sendLag: encoded };
  return {
    ...result,
    phases: result.phases.map((p) => ({ ...p, histograms: all })),
    total: { ...result.total, histograms: all },
    timeline: result.timeline.map((w) => ({ ...w, histogram: encoded, ...(w.okHistogram === undefined ? {} : { okHistogram: encoded }) })),
  };
}
