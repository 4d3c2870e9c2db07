// `incident-load fault --list` and `fault --revert <id>` through the built CLI, against a mock and a proxy
// this test starts (`incident-load mock` and `incident-load proxy`, free ports on 127.0.0.1, token files
// found as a user's would be): the list shows each fault's id, time, until and state; --revert reverts
// one now (the proxy's traffic comes back), and a fault that is not there or no longer active is exit 2
// with the program's reason. The CLI's DELETE carries no body and no Content-Type, as curl's does. The
// mock and the proxy are processes of their own; after the first, `fault` runs the CLI's code in this
// process (runCliInProcess: the same code and output, without half a second of Node start-up each).
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startMockCli, startProxyCli, type MockCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { plainServer, type TestServer } from '../support/servers.js';

let server: TestServer | undefined;
let running: MockCli | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
  await server?.close();
  server = undefined;
});

/** The rows of `fault --list` under its heading and rule: id, fault, applied, until, state, params. */
function rows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .slice(3)
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/ {2,}/));
}

describe('fault --list and --revert on the mock', () => {
  it('lists, reverts by id, and refuses an id that is gone or was never there', async () => {
    running = await startMockCli([]);
    const control = ['--control', running.controlUrl];

    const empty = await runCli(['fault', '--list', ...control]);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toBe('no faults on this mock\n');

    expect((await runCliInProcess(['fault', 'shrink-fleet', 'workers=1', ...control])).code).toBe(0);
    expect((await runCliInProcess(['fault', 'add-latency', 'latency=200ms', '--for', '1h', ...control])).code).toBe(0);
    const listed = await runCliInProcess(['fault', '--list', ...control]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^2 faults on this mock, 2 active \(times in incident time\)\nid +fault +applied +until +state +params\n─+\n/);
    expect(rows(listed.stdout)).toEqual([
      ['1', 'shrink-fleet', expect.stringMatching(/^[\d.]+m?s$/), '-', 'active', 'workers=1'],
      ['2', 'add-latency', expect.stringMatching(/^[\d.]+m?s$/), expect.stringMatching(/^1h/), 'active', 'latency=200 jitter=0'],
    ]);

    const reverted = await runCliInProcess(['fault', '--revert', '1', ...control]);
    expect(reverted.code, reverted.stderr).toBe(0);
    expect(reverted.stdout).toMatch(/^fault 1 shrink-fleet reverted at [\d.]+m?s of incident time\n$/);
    const after = await runCliInProcess(['fault', '--list', ...control]);
    expect(after.stdout).toMatch(/^2 faults on this mock, 1 active/);
    expect(rows(after.stdout).map((r) => r[4])).toEqual([expect.stringMatching(/^reverted at [\d.]+m?s$/), 'active']);
    expect(running.stdout()).toMatch(/fault 1 shrink-fleet workers=1 reverted/);

    const again = await runCliInProcess(['fault', '--revert', '1', ...control]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('incident-load: the mock could not revert fault 1: fault 1 was already reverted\n');
    const missing = await runCliInProcess(['fault', '--revert', '99', ...control]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `incident-load: the mock could not revert fault 99: no fault 99 (incident-load fault --list --control ${running.controlUrl} shows its faults)\n`,
    );
  }, 60_000);

  it('takes a DELETE without a body or a Content-Type (curl -X DELETE), and still refuses one that names another type', async () => {
    running = await startMockCli([]);
    const token = readFileSync(running.tokenFile, 'utf8').trim();
    expect((await runCliInProcess(['fault', 'shrink-fleet', 'workers=2', '--control', running.controlUrl])).code).toBe(0);
    const auth = { authorization: `Bearer ${token}` };
    const textPlain = await fetch(`${running.controlUrl}/faults/1`, { method: 'DELETE', headers: { ...auth, 'content-type': 'text/plain' } });
    expect(textPlain.status).toBe(415);
    const bare = await fetch(`${running.controlUrl}/faults/1`, { method: 'DELETE', headers: auth });
    expect(bare.status).toBe(200);
    expect(await bare.json()).toMatchObject({ id: 1, fault: 'shrink-fleet', reverted: expect.any(Number) });
    const unauthorised = await fetch(`${running.controlUrl}/faults/1`, { method: 'DELETE' });
    expect(unauthorised.status).toBe(401);
  }, 60_000);

  it.each([
    [['fault'], /expected a fault to inject .*, --list or --revert <id>/],
    [['fault', '--list', 'shrink-fleet', 'workers=1'], /--list takes no fault name or params, got "shrink-fleet workers=1"/],
    [['fault', '--revert', '1', 'shrink-fleet'], /--revert 1 takes no fault name or params/],
    [['fault', '--list', '--revert', '1'], /give --list or --revert <id>, not both/],
    [['fault', '--revert', '1', '--for', '1m'], /--revert 1: --for is for a fault being injected/],
    [['fault', '--revert', 'first'], /--revert: expected a whole number/],
  ])('%j is exit 2 before asking anything', async (args, message) => {
    const res = await runCliInProcess([...args, '--control', 'http://127.0.0.1:9']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
  });
});

describe('fault --list and --revert on the proxy', () => {
  it("lists the proxy's faults in its own time, and reverting one brings the traffic back", async () => {
    server = await plainServer();
    running = await startProxyCli(['--upstream', server.url]);
    const control = ['--control', running.controlUrl];
    expect((await runCliInProcess(['fault', 'error-rate', 'rate=100%', 'status=503', ...control])).code).toBe(0);
    expect((await fetch(running.url)).status).toBe(503);

    const listed = await runCliInProcess(['fault', '--list', ...control]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^1 fault on this proxy, 1 active \(times in wall time since the proxy started\)\n/);
    expect(rows(listed.stdout)).toEqual([
      ['1', 'error-rate', expect.stringMatching(/^[\d.]+m?s$/), '-', 'active', expect.stringMatching(/^rate=1 status=503/)],
    ]);

    const reverted = await runCliInProcess(['fault', '--revert', '1', ...control]);
    expect(reverted.code, reverted.stderr).toBe(0);
    expect(reverted.stdout).toMatch(/^fault 1 error-rate reverted at [\d.]+m?s after the proxy started\n$/);
    expect((await fetch(running.url)).status).toBe(200);
    const missing = await runCliInProcess(['fault', '--revert', '2', ...control]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^incident-load: the proxy could not revert fault 2: no fault 2 \(incident-load fault --list/);
  }, 60_000);
});
