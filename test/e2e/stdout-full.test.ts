// Stdout that cannot take what is written to it (audit 2026-12-07, 6.1): `--json - > /dev/full` and
// `--shard-stdout > /dev/full` gave exit 1 and a Node stack trace, the result lost (under --shard-stdout,
// its only copy). Through the built CLI, with stdout on /dev/full: exit 3, a message naming --json (or
// --shard-stdout) and the error, and the text kept in a private temporary file (a 0700 directory, a 0600
// file) named on stderr, as for `--json <file>` on a full disk.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RESULT_SCHEMA } from '../../src/result/run-result.js';
import { readShardLogs } from '../../src/result/shard-log.js';
import { BIN, type CliResult } from '../support/cli.js';
import { plainServer, type TestServer } from '../support/servers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The CLI with its stdout on /dev/full (every write fails with ENOSPC). */
function runIntoFullStdout(args: string[]): Promise<CliResult> {
  const full = openSync('/dev/full', 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', full, 'pipe'] });
    closeSync(full);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout: '', stderr });
    });
  });
}

/** The private file stderr names after `saved in`: 0600 in a 0700 directory of its own. */
function keptFile(stderr: string): string {
  const path = /is saved in (\S+)\n/.exec(stderr)?.[1];
  expect(path, stderr).toBeDefined();
  expect(statSync(path!).mode & 0o777).toBe(0o600);
  expect(statSync(dirname(path!)).mode & 0o777).toBe(0o700);
  return path!;
}

describe.skipIf(!existsSync('/dev/full'))('stdout on a full disk (/dev/full)', () => {
  it('ramp --json -: exit 3, the result kept in a private file named on stderr', async () => {
    server = await plainServer();
    const res = await runIntoFullStdout(['ramp', '--target', server.url, '--phase', 'a:250ms:80', '--json', '-', '--quiet']);
    expect(res.stderr).not.toMatch(/\n\s+at |Node\.js v/);
    expect(res.code, res.stderr).toBe(3);
    expect(res.stderr).toMatch(/could not write --json \(ENOSPC: no space left on device writing stdout\); the result is saved in \S+result\.json\n/);
    const result = JSON.parse(readFileSync(keptFile(res.stderr), 'utf8')) as { schema: string; total: { offered: number } };
    expect(result.schema).toBe(RESULT_SCHEMA);
    expect(result.total.offered).toBeGreaterThan(0);
  });

  it('ramp --segment 0/2 --shard-stdout: exit 3, the shard kept in a private file that collect reads', async () => {
    server = await plainServer();
    const res = await runIntoFullStdout(['ramp', '--target', server.url, '--phase', 'a:250ms:80', '--segment', '0/2', '--shard-stdout', '--quiet']);
    expect(res.stderr).not.toMatch(/\n\s+at |Node\.js v/);
    expect(res.code, res.stderr).toBe(3);
    expect(res.stderr).toMatch(
      /could not write --shard-stdout \(ENOSPC: no space left on device writing stdout\); the shard for collect is saved in \S+segment-0-of-2\.log\n/,
    );
    const file = keptFile(res.stderr);
    const { shards, problems } = readShardLogs([{ source: file, text: readFileSync(file, 'utf8') }]);
    expect(problems).toEqual([]);
    expect(shards.map((s) => `${s.index}/${s.count}`)).toEqual(['0/2']);
  });

  it('the report printed on stdout, lost: exit 3 and said, no stack trace', async () => {
    server = await plainServer();
    const res = await runIntoFullStdout(['ramp', '--target', server.url, '--phase', 'a:250ms:20']);
    expect(res.stderr).not.toMatch(/\n\s+at |Node\.js v/);
    expect(res.code, res.stderr).toBe(3);
    expect(res.stderr).toMatch(/could not write to stdout \(ENOSPC: no space left on device\): what was printed there is lost/);
  });
});
