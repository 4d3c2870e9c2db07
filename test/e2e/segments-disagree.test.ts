// Segments that claim one run but disagree (audit 2026-12-07, 3.4): each of these merged with exit 0
// before, the run digest kept — a phase missing, another speed, timeline windows twice as long, segment
// 0's file relabelled as segment 1 (its data counted twice). `merge` of the files and `collect` of their
// shard logs (digests that match) refuse each with exit 2, naming the file and what disagrees. The CLI's
// code runs in this process (a spawned Node costs half a second, and each case is two commands), but for
// the control and the first refusal, which run the built CLI as a user would.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/run-result.js';
import { runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { segment, shardLog, writeJson } from '../support/saved-results.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-disagree-'));
const s0 = segment(0, 2);
const s1 = segment(1, 2);

/**
 * `merge s0.json <name>.json` and `collect` of both shard logs: exit 2, the second file named with `what`
 * (through the built CLI when `spawned`).
 */
async function refusedByMergeAndCollect(name: string, second: RunResult, what: RegExp, spawned = false): Promise<void> {
  const cli = spawned ? runCli : runCliInProcess;
  const first = writeJson(dir, `${name}-s0.json`, s0);
  const file = writeJson(dir, `${name}.json`, second);
  const merged = await cli(['merge', first, file, '-q']);
  expect(merged.code, merged.stderr).toBe(2);
  expect(merged.stderr).toMatch(new RegExp(`${name}\\.json: ${what.source}`));
  expect(merged.stderr).not.toMatch(/\n\s+at /);

  const log = join(dir, `${name}.log`);
  writeFileSync(log, shardLog(s0) + shardLog(second));
  const collected = await cli(['collect', log, '-q']);
  expect(collected.code, collected.stderr).toBe(2);
  expect(collected.stderr).toMatch(new RegExp(`${name}\\.log \\(segment ${second.shard!.index} of 2\\): ${what.source}`));
  expect(collected.stderr).not.toMatch(/\n\s+at /);
}

describe('merge and collect refuse segments that disagree', () => {
  it('the two genuine segments merge (the control: each check below fails on one change only)', async () => {
    const res = await runCli(['merge', writeJson(dir, 'g0.json', s0), writeJson(dir, 'g1.json', s1), '-q']);
    expect(res.stderr).not.toMatch(/disagree|edited|relabelled|missing/);
    expect([0, 1]).toContain(res.code);
  });

  it('a phase missing, the total kept (merged "surge" counted one segment while the total counted two)', async () => {
    const cut = { ...s1, phases: s1.phases.filter((p) => p.name !== 'surge') };
    await refusedByMergeAndCollect('no-surge', cut, /total\.offered is \d+, but its phases add up to \d+: a phase is missing/, true);
  });

  it('a phase missing from a segment that ran to its end, its total made to match', async () => {
    const kept = s1.phases.filter((p) => p.name !== 'cooldown');
    const sum = (key: 'offered' | 'sent' | 'dropped' | 'ok' | 'failed'): number => kept.reduce((a, p) => a + p[key], 0);
    const cut: RunResult = {
      ...s1,
      phases: kept,
      total: {
        ...s1.total,
        offered: sum('offered'),
        sent: sum('sent'),
        dropped: sum('dropped'),
        ok: sum('ok'),
        failed: sum('failed'),
        successRatio: sum('ok') / sum('offered'),
      },
    };
    await refusedByMergeAndCollect('no-cooldown', cut, /its phases are "warmup", "surge", but .* are "warmup", "surge", "cooldown" \(it ran to its end\)/);
  });

  it("another profile.speed (merged as the first one's before)", async () => {
    const speed = s0.profile.speed;
    await refusedByMergeAndCollect(
      'speed-x2',
      { ...s1, profile: { ...s1.profile, speed: 2 * speed } },
      new RegExp(`profile\\.speed is ${2 * speed}, but .*'s is ${speed}`),
    );
  });

  it('timeline windows twice as long (merged window by window before)', async () => {
    const stretched = { ...s1, timeline: s1.timeline.map((w) => ({ ...w, t: w.t * 2, durationMs: w.durationMs * 2 })) };
    const length = s0.timeline[0]!.durationMs;
    await refusedByMergeAndCollect(
      'windows-x2',
      stretched,
      new RegExp(`its timeline has \\d+ windows of ${2 * length} ms, but .* has \\d+ windows of ${length} ms`),
    );
  });

  it("segment 0's result relabelled as segment 1 (its data counted twice before)", async () => {
    const relabelled = { ...s0, shard: { ...s0.shard!, index: 1 } };
    await refusedByMergeAndCollect(
      's0-as-1',
      relabelled,
      /segment 1's measurements are exactly those of .*s0.* \(segment 0\): one segment's result given twice/,
    );
  });
});
