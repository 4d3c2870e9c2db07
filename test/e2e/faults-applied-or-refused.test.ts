// A fault is applied or the run refuses to start (issue 20): a profile's faults against a URL with nobody
// to apply them are exit 2 with the message --fault gives, unless --skip-faults says so (then every report
// and the result say they were skipped); a profile's faults are checked against the catalogue of whoever
// applies them (the proxy's cap-connections with queue and timeout under --via-proxy and --control); and
// every report format says which faults were applied, by whom, with the proxy's section when there was one.
// The runs and the first refusal go through the built CLI, as a user runs them; the other refusals run the
// CLI's code in this process (a spawned Node costs half a second; the servers they must not send to are
// this process's too). Each run is one second: the fault at 500 ms falls in it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SKIPPED_FAULT_ERROR } from '../../src/core/fault-outcome.js';
import type { RunResult } from '../../src/result/run-result.js';
import { runCli, startProxyCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { plainServer, type TestServer } from '../support/servers.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-faults-e2e-'));
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A profile with no target of its own (so "mock" until --target) and the proxy's cap-connections, queue and timeout included. */
function capProfile(name: string, target?: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      ...(target ? [`target: ${target}`] : []),
      'phases: ["a:1s:10"]',
      'faults:',
      '  - { at: 500ms, fault: cap-connections, connections: 2, queue: 10, timeout: 1s }',
      '',
    ].join('\n'),
  );
  return file;
}

const read = (file: string): RunResult => JSON.parse(readFileSync(file, 'utf8')) as RunResult;

describe('a fault is applied or the run refuses to start', () => {
  it("a profile's faults against a plain --target: exit 2 with --fault's message, nothing sent", async () => {
    server = await plainServer();
    const profile = capProfile('plain', server.url);
    const res = await runCli(['ramp', profile, '--no-progress']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /the profile's faults \(\S+plain\.yaml:5: fault cap-connections\) need the bundled mock \(faults are injected through its control API\), but the run sends to .* send through the proxy with --via-proxy .* --control, or give --skip-faults/,
    );
    expect(server.requests()).toBe(0);
    // The same with the target on the command line.
    const flag = await runCliInProcess(['ramp', capProfile('no-target'), '--target', server.url, '--no-progress']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/the profile's faults .* need the bundled mock .* drop --target, send through the proxy with --via-proxy/);
    // --fault's own message is unchanged.
    const fault = await runCliInProcess(['ramp', '--target', server.url, '--phase', 'a:1s:5', '--fault', '500ms:add-latency:latency=1ms']);
    expect(fault.code).toBe(2);
    expect(fault.stderr).toMatch(/--fault needs the bundled mock \(faults are injected through its control API\)/);
    expect(server.requests()).toBe(0);
  });

  it('--skip-faults runs without them, and the result, the header and every report say so', async () => {
    server = await plainServer();
    const out = (ext: string): string => join(dir, `skipped.${ext}`);
    const res = await runCli([
      'ramp',
      capProfile('skipped', server.url),
      '--skip-faults',
      '--json',
      out('json'),
      '--html',
      out('html'),
      '--junit',
      out('xml'),
      '--summary-md',
      out('md'),
      '--no-progress',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const result = read(out('json'));
    expect(result.faults).toEqual([{ at: 500, fault: 'cap-connections', params: { connections: 2, queue: 10, timeout: '1s' }, error: SKIPPED_FAULT_ERROR }]);
    expect(result.total.ok).toBe(result.total.offered);
    expect(res.stdout).toMatch(/\nfaults {2}1 fault skipped on purpose \(--skip-faults\): this run had no faults\n/);
    expect(res.stdout).toContain('cap-connections connections=2 queue=10 timeout=1s — skipped (--skip-faults)');
    expect(readFileSync(out('html'), 'utf8')).toMatch(/<section id="faults">.*skipped on purpose \(--skip-faults\)/);
    expect(readFileSync(out('xml'), 'utf8')).toMatch(
      /skipped="1"[^\n]*\n {4}<testcase name="fault at 500ms: cap-connections[^"]*"[^>]*>\n {6}<skipped type="skip-faults" message="skipped \(--skip-faults\)">/,
    );
    // Markdown escapes what came from the run (parentheses, colons): it renders as written.
    expect(readFileSync(out('md'), 'utf8')).toContain('Faults: **1 fault skipped on purpose \\(--skip-faults\\)\\: this run had no faults**');
    // And it contradicts --fault.
    const both = await runCliInProcess(['ramp', '--target', server.url, '--phase', 'a:1s:5', '--skip-faults', '--fault', '500ms:add-latency:latency=1ms']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--skip-faults runs without faults, and --fault adds one/);
  });

  it("--via-proxy: a profile's faults are the proxy's to check and apply, and every report says so, with the proxy's section", async () => {
    server = await plainServer();
    const out = (ext: string): string => join(dir, `proxied.${ext}`);
    const res = await runCli([
      'ramp',
      capProfile('proxied'),
      '--target',
      server.url,
      '--via-proxy',
      '--json',
      out('json'),
      '--html',
      out('html'),
      '--junit',
      out('xml'),
      '--summary-md',
      out('md'),
      '--no-progress',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const result = read(out('json'));
    expect(result.faults).toEqual([{ at: 500, fault: 'cap-connections', params: { connections: 2, queue: 10, timeout: '1s' } }]);
    expect(res.stdout).toMatch(/\nfaults {2}1 fault applied by the proxy\n/);
    expect(res.stdout).toContain('cap-connections connections=2 queue=10 timeout=1s — applied by the proxy');
    const html = readFileSync(out('html'), 'utf8');
    expect(html).toMatch(/<section id="proxy"><h2>Proxy<\/h2>.*<table id="proxy-table">/);
    expect(html).toMatch(/<table id="faults-table">.*applied by the proxy/);
    expect(readFileSync(out('xml'), 'utf8')).toContain(
      '<testcase name="fault at 500ms: cap-connections connections=2 queue=10 timeout=1s (applied by the proxy)" classname="incident-load.proxied.faults"/>',
    );
    const md = readFileSync(out('md'), 'utf8');
    expect(md).toContain('| 500ms | cap-connections connections=2 queue=10 timeout=1s | applied by the proxy |');
    expect(md).toMatch(/Proxy: latency its faults added on purpose[^\n]*\n\n\| phase \| requests \| delayed \|/);
    // Without --target the same profile runs on the bundled mock, whose cap-connections has no queue: refused with the line.
    const mock = await runCliInProcess(['validate', capProfile('proxied')]);
    expect(mock.code).toBe(2);
    expect(mock.stderr).toMatch(/proxied\.yaml:4 faults\[0\]: Unrecognized keys: "queue", "timeout"/);
  }, 30_000);

  it("--control naming a proxy: the profile's faults are checked against the proxy's catalogue, and applied by it", async () => {
    server = await plainServer();
    const proxy = await startProxyCli(['--upstream', server.url]);
    try {
      const json = join(dir, 'control.json');
      const res = await runCli(['ramp', capProfile('control'), '--target', proxy.url, '--control', proxy.controlUrl, '--json', json, '--no-progress']);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(read(json).faults).toEqual([{ at: 500, fault: 'cap-connections', params: { connections: 2, queue: 10, timeout: '1s' } }]);
      expect(res.stdout).toContain('applied by the mock or proxy at --control');
      // A mock's fault is refused before anything is sent, naming who would refuse it.
      const mockFault = await runCliInProcess([
        'ramp',
        '--target',
        proxy.url,
        '--control',
        proxy.controlUrl,
        '--phase',
        'a:1s:5',
        '--fault',
        '500ms:shrink-fleet:workers=1',
      ]);
      expect(mockFault.code).toBe(2);
      expect(mockFault.stderr).toMatch(/--control http:\/\/127\.0\.0\.1:\d+ is a proxy, which would refuse: fault shrink-fleet at 500ms: /);
    } finally {
      await proxy.stop();
    }
  }, 60_000);
});
