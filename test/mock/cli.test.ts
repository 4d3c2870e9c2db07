// End to end through the real CLI: `incident-load mock` in the foreground as a child process, a
// closed-loop client against it, and `incident-load fault` from another process; the token file that
// joins them.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCliInProcess } from '../support/cli-in-process.js';
import { plainServer, recordingServer, refusedPort } from '../support/servers.js';
import { control, sleep, startClosedLoop, state, type Traffic } from './support/clients.js';

const BIN = fileURLToPath(new URL('../../bin/incident-load.js', import.meta.url));

// Token files go to a runtime directory of the test's own, never to the user's.
const RUNTIME = mkdtempSync(join(tmpdir(), 'incident-load-runtime-'));
const ENV = { XDG_RUNTIME_DIR: RUNTIME };

interface Cli {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  nextLine(): Promise<string>;
}

function cli(args: string[], env: Record<string, string> = ENV): Cli {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, INCIDENT_LOAD_CONTROL_TOKEN: '', ...env } });
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

async function run(args: string[], env: Record<string, string> = ENV): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const c = cli(args, env);
  let stderr = '';
  c.child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  const code = await new Promise<number | null>((resolve) => c.child.on('exit', resolve));
  await sleep(10);
  return { code, stdout: c.lines.join('\n'), stderr };
}

/**
 * `incident-load fault …` run by the CLI's code in this process, in `env` as `run` gives a child (a spawned
 * Node costs half a second; the token test alone runs nine). The first test runs fault as a process of its
 * own, as a user does.
 */
async function fault(args: string[], env: Record<string, string> = ENV): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, { INCIDENT_LOAD_CONTROL_TOKEN: '', ...env });
  try {
    const { code, stdout, stderr } = await runCliInProcess(['fault', ...args]);
    // As `run` gives it: the lines, joined without the last newline.
    return { code, stdout: stdout.replace(/\n$/, ''), stderr };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
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
    // W = 4 workers, S = 20 ms constant: 200 req/s. 100 clients keep 96 tasks waiting (480 ms of work; 40
    // kept 180 ms, which a client stalled on a busy machine could outlast), so the fleet never idles. Over a 1 s window the count is exact to about one task per
    // worker at each edge (±4 of 200) plus the client's own lag at the edges; tolerance 10 %.
    const mock = cli(['mock', '--mock', 'fleet.workers=4', '--mock', 'fleet.serviceTime=20ms', '--seed', '1']);
    onTestFinished(() => {
      if (mock.child.exitCode === null) mock.child.kill('SIGKILL');
    });
    const traffic = await mock.nextLine();
    const controlLine = await mock.nextLine();
    const tokenLine = await mock.nextLine();
    expect(traffic).toMatch(/^traffic {2}http:\/\/127\.0\.0\.1:\d+$/);
    expect(controlLine).toMatch(/^control {2}http:\/\/127\.0\.0\.1:\d+$/);
    const url = traffic.split(/\s+/)[1]!;
    const controlUrl = controlLine.split(/\s+/)[1]!;
    expect(tokenLine).toBe(`token    ${RUNTIME}/incident-load/control-${new URL(controlUrl).port}.token`);

    const load = startClosedLoop(url, 100);
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
    expect(mock.lines[3]).toMatch(/^at [\d.]+m?s +fault 1 shrink-fleet workers=2 applied$/);

    // Ctrl-C: closes, takes its token file with it, and exits 130.
    const tokenFile = tokenLine.split(/\s+/)[1]!;
    expect(existsSync(tokenFile)).toBe(true);
    mock.child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => mock.child.on('exit', resolve));
    expect(code).toBe(130);
    expect(existsSync(tokenFile)).toBe(false);
  });

  it('turns a refused fault into exit 2 quoting the mock, and says clearly when the mock is not there', async () => {
    const mock = cli(['mock', '--speed', '10']);
    onTestFinished(() => {
      mock.child.kill('SIGKILL');
    });
    await mock.nextLine();
    const controlUrl = (await mock.nextLine()).split(/\s+/)[1]!;
    await mock.nextLine();

    const refused = await fault(['shrink-fleet', 'workers=-1', '--control', controlUrl]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('incident-load: the mock refused the fault: shrink-fleet: workers: expected a whole number from 0 to 100000, got "-1"\n');
    const unknown = await fault(['melt-datacenter', '--control', controlUrl]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown fault "melt-datacenter"/);

    mock.child.kill('SIGKILL');
    await new Promise((resolve) => mock.child.on('exit', resolve));
    const gone = await fault(['break-monitor', '--control', controlUrl]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/^incident-load: cannot reach the mock's control API at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });

  it('refuses bad flags with exit 2 and a message naming them', async () => {
    const bad = await run(['mock', '--mock', 'fleet.workers=many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('incident-load: --mock fleet.workers=many: fleet.workers: expected a whole number from 0 to 100000, got "many"\n');
    const noControl = await fault(['break-monitor']);
    expect(noControl.code).toBe(2);
    expect(noControl.stderr).toMatch(/--control <url>/);
  });
});

interface MockCli {
  cli: Cli;
  url: string;
  controlUrl: string;
  tokenFile: string;
}

/** `incident-load mock` with these args, once it has printed its three lines; killed after the test. */
async function mockCli(args: string[], env: Record<string, string> = ENV): Promise<MockCli> {
  const c = cli(['mock', ...args], env);
  onTestFinished(() => {
    if (c.child.exitCode === null) c.child.kill('SIGKILL');
  });
  const [traffic, controlLine, tokenLine] = [await c.nextLine(), await c.nextLine(), await c.nextLine()];
  return { cli: c, url: traffic.split(/\s+/)[1]!, controlUrl: controlLine.split(/\s+/)[1]!, tokenFile: tokenLine.split(/\s+/)[1]! };
}

describe('the control token between incident-load mock and incident-load fault', () => {
  // Two mocks' processes, and seven faults run in this process.
  it('writes the token to a 0600 file in a 0700 directory, where fault finds it; others are refused', { timeout: 90_000 }, async () => {
    const mock = await mockCli([]);
    expect(lstatSync(join(RUNTIME, 'incident-load')).mode & 0o777).toBe(0o700);
    const file = lstatSync(mock.tokenFile);
    expect(file.isFile()).toBe(true);
    expect(file.mode & 0o777).toBe(0o600);
    const token = readFileSync(mock.tokenFile, 'utf8').trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(`/proc/${mock.cli.child.pid}/cmdline`, 'utf8')).not.toContain(token);
    // The token works, and nothing gets in without it.
    expect((await state({ controlUrl: mock.controlUrl, token })).workers).toBe(4);
    expect((await control({ controlUrl: mock.controlUrl, token: 'not-the-token-0123456789' }, 'GET', '/state')).status).toBe(401);

    // Found in the default file ...
    const found = await fault(['shrink-fleet', 'workers=3', '--control', mock.controlUrl]);
    expect(found).toMatchObject({ code: 0, stderr: '' });
    // ... given with --token-file, --token or the environment ...
    const copy = join(RUNTIME, 'copied.token');
    writeFileSync(copy, `${token}\n`);
    expect((await fault(['shrink-fleet', 'workers=2', '--control', mock.controlUrl, '--token-file', copy], {})).code).toBe(0);
    expect((await fault(['shrink-fleet', 'workers=1', '--control', mock.controlUrl, '--token', token], {})).code).toBe(0);
    expect(
      (await fault(['break-monitor', '--control', mock.controlUrl], { INCIDENT_LOAD_CONTROL_TOKEN: token, XDG_RUNTIME_DIR: join(RUNTIME, 'elsewhere') })).code,
    ).toBe(0);
    expect((await state({ controlUrl: mock.controlUrl, token })).faults.map((f) => f.fault)).toEqual([
      'shrink-fleet',
      'shrink-fleet',
      'shrink-fleet',
      'break-monitor',
    ]);

    // ... and in that order: --token wins over a token file that would work.
    const wrong = await fault(['break-monitor', '--control', mock.controlUrl, '--token', 'not-the-token-0123456789']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(
      `incident-load: the mock's control API at ${mock.controlUrl} did not accept the token from --token: is that file or value this mock's?\n`,
    );
    const none = await fault(['break-monitor', '--control', mock.controlUrl], { XDG_RUNTIME_DIR: join(RUNTIME, 'elsewhere') });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /needs its token, and none was found: give --token, set INCIDENT_LOAD_CONTROL_TOKEN or give --token-file \(no token file at .*elsewhere\/incident-load\/control-\d+\.token/,
    );
    const missing = await fault(['break-monitor', '--control', mock.controlUrl, '--token-file', join(RUNTIME, 'nope.token')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`incident-load: --token-file: cannot read the token file ${join(RUNTIME, 'nope.token')}: ENOENT\n`);
  });

  it('takes its token from INCIDENT_LOAD_CONTROL_TOKEN when given (orchestrated setups), and refuses a weak one', async () => {
    const token = 'orchestrated-0123456789-abcdef';
    const mock = await mockCli([], { ...ENV, INCIDENT_LOAD_CONTROL_TOKEN: token });
    expect((await state({ controlUrl: mock.controlUrl, token })).workers).toBe(4);
    expect(readFileSync(mock.tokenFile, 'utf8')).toBe(`${token}\n`);
    const weak = await run(['mock'], { ...ENV, INCIDENT_LOAD_CONTROL_TOKEN: 'secret' });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toBe('incident-load: INCIDENT_LOAD_CONTROL_TOKEN: the control token must be at least 16 characters, got 6\n');
  });

  it('never writes through a planted symlink, and refuses a token directory others may write to', async () => {
    const runtime = mkdtempSync(join(tmpdir(), 'incident-load-runtime-'));
    const dir = join(runtime, 'incident-load');
    mkdirSync(dir, { mode: 0o700 });
    const port = await refusedPort();
    const victim = join(runtime, 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(dir, `control-${port}.token`));
    const mock = await mockCli(['--control-port', String(port)], { XDG_RUNTIME_DIR: runtime });
    expect(mock.tokenFile).toBe(join(dir, `control-${port}.token`));
    expect(lstatSync(mock.tokenFile).isSymbolicLink()).toBe(false);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    mock.cli.child.kill('SIGTERM');
    await new Promise((resolve) => mock.cli.child.on('exit', resolve));

    chmodSync(dir, 0o770);
    const open = await run(['mock'], { XDG_RUNTIME_DIR: runtime });
    expect(open.code).toBe(2);
    expect(open.stderr).toBe(
      `incident-load: the token directory ${dir} is writable by others (mode 770): set XDG_RUNTIME_DIR to a directory of your own, or fix its owner and mode (chmod 700)\n`,
    );
    expect(open.stdout).toBe('');
  });
});

describe('incident-load fault --control <a URL that is not a control API>', () => {
  it('exits 2 for the traffic URL, a server answering 404, and a refused port, saying which', async () => {
    const mock = await mockCli([]);
    const traffic = await fault(['shrink-fleet', 'workers=2', '--control', mock.url]);
    expect(traffic.code).toBe(2);
    expect(traffic.stderr).toBe(
      `incident-load: ${mock.url} did not answer as an incident-load control API (it answered 200): give the control URL that \`incident-load mock\` printed on its "control" line, not its traffic URL\n`,
    );

    const server = await plainServer();
    onTestFinished(() => server.close());
    const notFound = await recordingServer(() => 404);
    onTestFinished(() => notFound.close());
    for (const url of [server.url, notFound.url]) {
      const res = await fault(['break-monitor', '--control', url]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/^incident-load: http:\/\/127\.0\.0\.1:\d+\/? did not answer as an incident-load control API \(it answered (200|404)\)/);
      expect(res.stderr).not.toMatch(/unexpected error|\n {4}at /);
    }

    const port = await refusedPort();
    const refused = await fault(['break-monitor', '--control', `http://127.0.0.1:${port}`]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `incident-load: cannot reach the mock's control API at http://127.0.0.1:${port}: ECONNREFUSED (is \`incident-load mock\` running, and is this its control URL?)\n`,
    );
  });
});
