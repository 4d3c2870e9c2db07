// End to end through the real CLI: `incident-load mock` in the foreground as a child process, a
// closed-loop client against it, and `incident-load fault` from another process.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { sleep, startClosedLoop, type Traffic } from './support/clients.js';

const BIN = fileURLToPath(new URL('../../bin/incident-load.js', import.meta.url));

interface Cli {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  nextLine(): Promise<string>;
}

function cli(args: string[]): Cli {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let read = 0;
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    const next = waiting.shift();
    if (next) next(lines[read++]!);
  });
  return {
    child,
    lines,
    nextLine: () => (read < lines.length ? Promise.resolve(lines[read++]!) : new Promise((resolve) => waiting.push(resolve))),
  };
}

async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const c = cli(args);
  let stderr = '';
  c.child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  const code = await new Promise<number | null>((resolve) => c.child.on('exit', resolve));
  await sleep(10);
  return { code, stdout: c.lines.join('\n'), stderr };
}

/**
 * Requests per second the client got answered over a window of about 1 s (speed 1: incident time is wall
 * time). Counted by when each answer says its task completed (arrival + queue + service, in the mock's
 * time), not by when this process got round to reading it: a client stalled at an edge of the window by
 * a busy machine would otherwise move tens of answers across it.
 */
async function measured(traffic: Traffic): Promise<number> {
  const start = traffic.outcomes.length;
  await sleep(1200);
  const done = traffic.outcomes
    .slice(start)
    .filter((o) => o.status === 200)
    .map((o) => o.body!.arrivedAt + o.body!.queueMs + o.body!.serviceMs)
    .sort((a, b) => a - b);
  // Drop the first and last 100 ms of completions, where the slice above is ragged.
  const from = done[0]! + 100;
  const to = done.at(-1)! - 100;
  return done.filter((t) => t >= from && t < to).length / ((to - from) / 1000);
}

describe('incident-load mock and incident-load fault', () => {
  it('a closed-loop client measures W/S req/s, and half after `incident-load fault shrink-fleet`', async () => {
    // W = 4 workers, S = 20 ms constant: 200 req/s. 40 clients keep 36 tasks waiting (180 ms of work), so a
    // stalled client never lets the fleet idle. Over a 1 s window the count is exact to about one task per
    // worker at each edge (±4 of 200) plus the client's own lag at the edges; tolerance 10 %.
    const mock = cli(['mock', '--mock', 'fleet.workers=4', '--mock', 'fleet.serviceTime=20ms', '--seed', '1']);
    onTestFinished(() => {
      if (mock.child.exitCode === null) mock.child.kill('SIGKILL');
    });
    const traffic = await mock.nextLine();
    const control = await mock.nextLine();
    expect(traffic).toMatch(/^traffic {2}http:\/\/127\.0\.0\.1:\d+$/);
    expect(control).toMatch(/^control {2}http:\/\/127\.0\.0\.1:\d+$/);
    const url = traffic.split(/\s+/)[1]!;
    const controlUrl = control.split(/\s+/)[1]!;

    const load = startClosedLoop(url, 40);
    try {
      await sleep(300);
      const full = await measured(load);
      expect(Math.abs(full / 200 - 1)).toBeLessThan(0.1);

      const injected = await run(['fault', 'shrink-fleet', 'workers=2', '--control', controlUrl]);
      expect(injected).toMatchObject({ code: 0, stderr: '' });
      expect(injected.stdout).toMatch(/^fault 1 shrink-fleet applied at [\d.]+m?s of incident time$/);
      await sleep(100);
      const half = await measured(load);
      expect(Math.abs(half / 100 - 1)).toBeLessThan(0.1);
      expect(half / full).toBeGreaterThan(0.4);
      expect(half / full).toBeLessThan(0.6);
    } finally {
      await load.stop();
    }
    // The mock logged the fault with its time.
    expect(mock.lines[2]).toMatch(/^at [\d.]+m?s +fault 1 shrink-fleet workers=2 applied$/);

    // Ctrl-C: closes and exits 130.
    mock.child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => mock.child.on('exit', resolve));
    expect(code).toBe(130);
  });

  it('turns a refused fault into exit 2 quoting the mock, and says clearly when the mock is not there', async () => {
    const mock = cli(['mock', '--speed', '10']);
    onTestFinished(() => {
      mock.child.kill('SIGKILL');
    });
    await mock.nextLine();
    const controlUrl = (await mock.nextLine()).split(/\s+/)[1]!;

    const refused = await run(['fault', 'shrink-fleet', 'workers=-1', '--control', controlUrl]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('incident-load: the mock refused the fault: shrink-fleet: workers: expected a whole number from 0 to 100000, got "-1"\n');
    const unknown = await run(['fault', 'melt-datacenter', '--control', controlUrl]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown fault "melt-datacenter"/);

    mock.child.kill('SIGKILL');
    await new Promise((resolve) => mock.child.on('exit', resolve));
    const gone = await run(['fault', 'break-monitor', '--control', controlUrl]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/^incident-load: cannot reach the mock's control API at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });

  it('refuses bad flags with exit 2 and a message naming them', async () => {
    const bad = await run(['mock', '--mock', 'fleet.workers=many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('incident-load: --mock fleet.workers=many: fleet.workers: expected a whole number from 0 to 100000, got "many"\n');
    const noControl = await run(['fault', 'break-monitor']);
    expect(noControl.code).toBe(2);
    expect(noControl.stderr).toMatch(/--control <url>/);
  });
});
