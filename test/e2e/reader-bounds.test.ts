// Two of the readers' bounds that differed from the others' (audit 2026-12-07, 3.5), through the built
// CLI: `compare` read a 300 MB result that `report` refuses (one reader, one limit, now), and `collect`
// echoed a log's 10 MB error line whole to stderr (quoted at most 400 characters now, as `validate`
// quotes a value).
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARD_MARK } from '../../src/result/shard-log.js';
import { runCli } from '../support/cli.js';
import { simulated, writeJson } from '../support/saved-results.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-reader-bounds-'));

describe('every reader has the same bounds', () => {
  it('compare refuses a result over 256 MB, as report does, without reading it', async () => {
    const good = writeJson(dir, 'good.json', simulated());
    // Sparse: 300 MB long, nothing on the disk.
    const huge = join(dir, 'oversize-300mb.json');
    writeFileSync(huge, '');
    truncateSync(huge, 300 * 1024 * 1024);
    for (const args of [
      ['report', huge],
      ['compare', good, huge],
      ['compare', huge, good],
    ]) {
      const res = await runCli(args);
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toMatch(/oversize-300mb\.json: expected a saved result.*, and this is not a regular file of at most 256 MB/);
    }
  });

  it("collect quotes a segment's error line at most 400 characters", async () => {
    const log = join(dir, 'long-error.log');
    const message = `refused: ${'x'.repeat(10 * 1024 * 1024)}`;
    writeFileSync(log, `pod-0 ${SHARD_MARK} 0/1 error ${JSON.stringify(message)}\n`);
    const res = await runCli(['collect', log]);
    expect(res.code, res.stderr).toBe(3);
    const line = res.stderr.split('\n').find((l) => l.includes('failed before writing its shard'));
    expect(line, res.stderr.slice(0, 1000)).toBeDefined();
    expect(line).toMatch(/long-error\.log: segment 0 of 1 failed before writing its shard: refused: x+…$/);
    expect(line!.length).toBeLessThan(600);
    expect(res.stderr.length).toBeLessThan(2000);
  });
});
