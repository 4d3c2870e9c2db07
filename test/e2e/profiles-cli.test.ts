// `incident-load profiles` and `incident-load validate`: the listing through the built CLI, as a user runs
// it (with its terminal width from COLUMNS); the rest runs the CLI's code in this process (a spawned Node
// costs half a second each, and validate is run once per bundled profile). That validate's verdict reaches
// a real process's exit code is thresholds-cli.test.ts's (validate, exit 2) and hostile-input.test.ts's.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const bundled = readdirSync(new URL('../../profiles/', import.meta.url)).map((f) => f.replace(/\.yaml$/, ''));
const dir = mkdtempSync(join(tmpdir(), 'incident-load-profiles-'));

describe('incident-load profiles', () => {
  it('lists every bundled profile, each twin after its original, one line each', async () => {
    const res = await runCli(['profiles'], { env: { COLUMNS: '100' } });
    expect(res.code).toBe(0);
    const names = res.stdout
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[0])
      .filter((n) => n && bundled.includes(n));
    expect([...names].sort()).toEqual([...bundled].sort());
    expect(names.indexOf('dalle-2023-03-remediated')).toBe(names.indexOf('dalle-2023-03') + 1);
    for (const line of res.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('shows one profile with its phases, faults and expected request counts', async () => {
    const res = await runCliInProcess(['profiles', 'quickstart']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/ramp\s+10s\s+60\/s → 300\/s · ~1800 requests/);
    expect(res.stdout).toMatch(/at\s+15s\s+shrink-fleet workers=4/);
  });

  it("shows a profile's request mix, each class with its share and what it changes", async () => {
    const res = await runCliInProcess(['profiles', 'dalle-2023-03-remediated']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/request mix\n\s+priority\s+10%\s+x-priority: high\n\s+standard\s+90%\s+the request as it is/);
  });

  it('exits 2 naming the bundled profiles for an unknown name', async () => {
    const res = await runCliInProcess(['profiles', 'nope']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/no bundled profile named "nope".*quickstart/s);
  });
});

describe('incident-load validate', () => {
  it.each(bundled)('accepts the bundled profile %s', async (name) => {
    const res = await runCliInProcess(['validate', `profiles/${name}.yaml`]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/: ok\n/);
  });

  it('reports every problem at once, in file order, with line and path, and exits 2', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      [
        'name: broken',
        'speed: -1',
        'mock:',
        '  fleet: { workers: many }',
        'phases:',
        '  - { name: a, duration: 10s, rate: fast }',
        'faults:',
        '  - { at: 1s, fault: melt-datacenter }',
        '',
      ].join('\n'),
    );
    const res = await runCliInProcess(['validate', file]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    const lines = res.stderr.split('\n').filter((l) => /broken\.yaml:\d+ /.test(l));
    expect(lines.map((l) => Number(/broken\.yaml:(\d+) /.exec(l)![1]))).toEqual([2, 4, 6, 8]);
    expect(lines[0]).toMatch(/speed: expected a number from 0.01 to 10000, got -1/);
    expect(lines[1]).toMatch(/mock\.fleet\.workers: expected a whole number/);
    expect(lines[2]).toMatch(/phases\[0\]\.rate: expected a rate/);
    expect(lines[3]).toMatch(/faults\[0\]\.fault: unknown fault "melt-datacenter"/);
  });
});
