// Thresholds through the built CLI against a loopback server this test starts: a bare number where a
// ratio or a percentage is meant ("errors < 1") is refused before anything is sent, in a flag and in a
// profile, with both readings shown; --threshold adds to the profile's thresholds, and --no-thresholds
// drops the profile's so that only the flag's are judged. The refusal by ramp runs the CLI's code in this
// process (a spawned Node costs half a second; the server it would have sent to is this process's too);
// validate's refusal and the runs go through the built CLI, as a user runs them.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/run-result.js';
import { runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { recordingServer, type SeenRequest, type TestServer } from '../support/servers.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-thresholds-'));
let server: (TestServer & { seen: SeenRequest[] }) | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// 8 arrivals (400 ms at 20/s, evenly spaced); the server answers the first 200 and the other seven 500:
// 87.5 % errors, the run the issue saw pass `errors < 1`.
const PROFILE = `
name: gated
phases:
  - { name: a, duration: 400ms, rate: 20/s }
thresholds:
  - "success >= 0.1"
`;

async function mostlyFailing(): Promise<TestServer & { seen: SeenRequest[] }> {
  let answered = 0;
  return recordingServer(() => (answered++ === 0 ? 200 : 500));
}

function profileFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const thresholdsOf = (file: string): [string, boolean, number | null][] =>
  (JSON.parse(readFileSync(file, 'utf8')) as RunResult).thresholds.map((t) => [t.expr, t.ok, t.actual]);

describe('a bare number where a ratio or a percentage is meant', () => {
  it('ramp --threshold "errors < 1" is exit 2 naming both readings, and sends nothing', async () => {
    server = await mostlyFailing();
    const res = await runCliInProcess(['ramp', profileFile('gated.yaml', PROFILE), '--target', server.url, '--threshold', 'errors < 1', '--quiet']);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toContain('--threshold: threshold "errors < 1": a bare 1 is ambiguous');
    expect(res.stderr).toContain('write "errors < 1%" for 1 percent (the ratio 0.01), or "errors < 100%" for the ratio 1 (every request)');
    expect(server.seen).toHaveLength(0);
  });

  it('validate refuses it in a profile, with its line, both readings and every other problem', async () => {
    const file = profileFile('ambiguous.yaml', `${PROFILE}  - "errors < 1"\n  - "a: success >= 95"\n`);
    const res = await runCli(['validate', file]);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/ambiguous\.yaml:7 thresholds\[1\]: threshold "errors < 1": a bare 1 is ambiguous: write "errors < 1%" .* or "errors < 100%"/);
    expect(res.stderr).toMatch(/ambiguous\.yaml:8 thresholds\[2\]: threshold "a: success >= 95": a bare 95 is ambiguous: write "a: success >= 95%"/);
  });

  it('"errors < 1%" fails the run the issue saw pass, at 87.5 % errors', async () => {
    server = await mostlyFailing();
    const json = join(dir, 'percent.json');
    const res = await runCli(['ramp', profileFile('gated.yaml', PROFILE), '--target', server.url, '--threshold', 'errors < 1%', '--json', json, '--quiet']);
    expect(res.code, res.stderr).toBe(1);
    expect(server.seen).toHaveLength(8);
    expect(thresholdsOf(json)).toEqual([
      ['success >= 0.1', true, 0.125],
      ['errors < 1%', false, 0.875],
    ]);
  });
});

describe('--threshold adds to the profile thresholds; --no-thresholds drops them', () => {
  it('adds: the profile threshold is judged with the flag one, and one repeated is judged once', async () => {
    server = await mostlyFailing();
    const json = join(dir, 'added.json');
    const res = await runCli([
      'ramp',
      profileFile('gated.yaml', PROFILE),
      '--target',
      server.url,
      '--threshold',
      'errors < 90%',
      '--threshold',
      'success >= 0.1',
      '--json',
      json,
      '--quiet',
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(thresholdsOf(json)).toEqual([
      ['success >= 0.1', true, 0.125],
      ['errors < 90%', true, 0.875],
    ]);
  });

  it('--no-thresholds with --threshold replaces them; alone it leaves none', async () => {
    server = await mostlyFailing();
    const json = join(dir, 'replaced.json');
    const replaced = await runCli([
      'ramp',
      profileFile('gated.yaml', PROFILE),
      '--target',
      server.url,
      '--no-thresholds',
      '--threshold',
      'success >= 50%',
      '--json',
      json,
      '--quiet',
    ]);
    expect(replaced.code, replaced.stderr).toBe(1);
    expect(thresholdsOf(json)).toEqual([['success >= 50%', false, 0.125]]);

    const none = join(dir, 'none.json');
    const dropped = await runCli(['ramp', profileFile('gated.yaml', PROFILE), '--target', server.url, '--no-thresholds', '--json', none, '--quiet']);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(thresholdsOf(none)).toEqual([]);
  });
});
