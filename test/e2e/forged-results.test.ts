// Saved results and shard logs forged to cost minutes of CPU or gigabytes of memory (audit 2026-12-07,
// 3.1), through every reader: report, compare, merge and collect refuse each with exit 2, naming the file
// and the field, before paying for it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SHARD_MARK } from '../../src/result/shard-log.js';
import { runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { forgedHistogram, segment, shardLog, simulated, withEveryHistogram, withPhaseHistogram, writeJson } from '../support/saved-results.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-forged-'));
const good = writeJson(dir, 'good.json', simulated());

async function refused(args: string[], what: RegExp): Promise<void> {
  const res = await runCliInProcess(args);
  expect(res.code, res.stderr).toBe(2);
  expect(res.stderr).toMatch(what);
  expect(res.stderr).not.toMatch(/\n\s+at /);
}

const bombs = [
  ['a payload length of 2^31 - 1', forgedHistogram({ payloadLength: 0x7fffffff }), /payload length 2147483647 runs past/],
  ['5 digits over 1..2^53', forgedHistogram({ digits: 5, highest: Number.MAX_SAFE_INTEGER }), /at most 3 significant digits/],
  ['16 MB of zeros', forgedHistogram({ payload: Buffer.alloc(16 * 1024 * 1024) }), /inflates to more than 524288 bytes/],
] as const;

describe('forged histograms are refused by every reader', () => {
  it.each(bombs)('%s, in one phase: report and compare', async (name, encoded, why) => {
    const file = writeJson(dir, `one-${name.length}.json`, withPhaseHistogram(simulated(), encoded));
    const field = /phases\[0\]\.histograms\.latency: expected an encoded HDR histogram/;
    await refused(['report', file], field);
    await refused(['report', file], why);
    await refused(['compare', good, file], field);
  });

  it('in every histogram (172 of them): report, through the built CLI, at once', async () => {
    const file = writeJson(dir, 'every.json', withEveryHistogram(simulated(), bombs[0][1]));
    const res = await runCli(['report', file], { timeoutMs: 20_000 });
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/every\.json: schema .* but phases\[0\]\.histograms\.latency: .*payload length/);
  });

  it('in one segment: merge, and collect of its shard log whose digest matches', async () => {
    const forged = withPhaseHistogram(segment(1, 2), bombs[0][1]);
    const s0 = writeJson(dir, 's0.json', segment(0, 2));
    const s1 = writeJson(dir, 's1.json', forged);
    await refused(['merge', s0, s1], /s1\.json: schema .* phases\[0\]\.histograms\.latency: .*payload length/);
    const log = join(dir, 'run.log');
    writeFileSync(log, shardLog(segment(0, 2)) + shardLog(forged));
    await refused(['collect', log], /run\.log \(segment 1 of 2\): schema .* phases\[0\]\.histograms\.latency: .*payload length/);
  });
});

describe('a shard log is inflated within bounds before its digest is checked', () => {
  it('a gzip bomb of 300 MB of spaces (2.16 GB of memory before) is named damaged, not inflated whole', async () => {
    const gz = await gzipOfSpaces(300 * 1024 * 1024);
    const data = gz.toString('base64');
    const chunks = data.match(/.{1,3000}/g)!;
    const digest = createHash('sha256').update('x').digest('hex');
    const tag = `${SHARD_MARK} 0/1`;
    const lines = [
      `${tag} begin run=${'b'.repeat(32)} lines=${chunks.length} sha256=${digest}`,
      ...chunks.map((c, i) => `${tag} ${i + 1}/${chunks.length} ${c}`),
      `${tag} end`,
    ];
    const log = join(dir, 'bomb.log');
    writeFileSync(log, lines.join('\n') + '\n');
    await refused(['collect', log], /bomb\.log: segment 0 of 1: its shard is damaged \(it inflates to more than the 256 MB a result may be\)/);
  });
});

async function gzipOfSpaces(bytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const block = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < bytes / block.length; i++) if (!gzip.write(block)) await new Promise((r) => gzip.once('drain', r));
  gzip.end();
  await done;
  return Buffer.concat(out);
}
