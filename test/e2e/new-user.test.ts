// What a new user with k6 habits tripped over (shared/reviews/newuser-2026-12.md), each through the built
// CLI against loopback servers this test starts: one-off runs, paths under a target, --speed against a real
// service, what counts as success, redirects, TLS, and validate's messages. Bad input is checked with the
// CLI's code in this process (runCliInProcess: a spawned Node costs half a second); runs are a quarter
// second long, at the rate that sends the same few requests a second-long phase would.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/run-result.js';
import { runCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { recordingServer, redirectingServer, tlsServer, type TestServer } from '../support/servers.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-newuser-'));
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function started<T extends TestServer>(server: Promise<T>): Promise<T> {
  const s = await server;
  servers.push(s);
  return s;
}
const read = (file: string): RunResult => JSON.parse(readFileSync(file, 'utf8')) as RunResult;
const profile = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('a one-off run starts from a neutral base', () => {
  it('--phase without a profile: its own name, the mock’s defaults, none of the quickstart’s faults', async () => {
    const json = join(dir, 'oneoff.json');
    const res = await runCli(['ramp', '--phase', 'v1:2s:20', '--mock', 'fleet.workers=8', '--quiet', '--json', json]);
    expect(res.code, res.stderr).toBe(0);
    const result = read(json);
    expect(result.profile.name).toBe('one-off');
    expect(result.faults).toEqual([]);
    expect(result.phases.map((p) => p.name)).toEqual(['v1']);
    // The quickstart's 500 ms queue timeout would answer some 504s at this load; the defaults have none.
    expect(Object.keys(result.total.statuses)).toEqual(['200']);
  });

  it('--target without a profile or --phase: bad input saying to give the phases', async () => {
    const res = await runCliInProcess(['ramp', '--target', 'http://127.0.0.1:9/']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/no phases to run: give a profile, or the phases with --phase/);
  });
});

describe('a target URL is a base', () => {
  it('the profile’s request.path (and a class’s) goes under the URL’s path and keeps its query', async () => {
    const server = await started(recordingServer());
    const path = profile(
      'paths.yaml',
      `target: ${server.url}api?key=k\nrequest:\n  path: /orders?n=1\n  mix: [ { name: a, share: 0.5 }, { name: b, share: 0.5, path: /health } ]\nphases: [ "a:250ms:16" ]\n`,
    );
    const res = await runCli(['ramp', path, '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    expect(new Set(server.seen.map((r) => r.url))).toEqual(new Set(['/api/orders?key=k&n=1', '/api/health?key=k']));
  });
});

describe('--speed only for the bundled mock', () => {
  it('against a URL it is bad input, from a flag or from the profile', async () => {
    const flag = await runCliInProcess(['ramp', '--target', 'http://127.0.0.1:9/', '--phase', 'a:250ms:20', '--speed', '5']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--speed 5 compresses incident time, which only the bundled mock keeps: .*5× its real value/);
    const file = profile('speedy.yaml', 'target: http://127.0.0.1:9/\nspeed: 5\nphases: [ "a:250ms:20" ]\n');
    const validate = await runCliInProcess(['validate', file]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(/speedy\.yaml:2 speed: expected 1 with a target URL/);
  });
});

describe('what counts as success', () => {
  it('a 301 is a failure by default and a success with --expected-statuses 200-399 (as Vegeta counts)', async () => {
    const server = await started(redirectingServer(301));
    const strict = join(dir, 'strict.json');
    const wide = join(dir, 'wide.json');
    expect((await runCli(['ramp', '--target', server.url, '--phase', 'a:250ms:20', '--quiet', '--json', strict])).code).toBe(0);
    expect((await runCli(['ramp', '--target', server.url, '--phase', 'a:250ms:20', '--quiet', '--json', wide, '--expected-statuses', '200-399'])).code).toBe(0);
    expect(read(strict).total).toMatchObject({ ok: 0, failed: 5, statuses: { '301': 5 } });
    expect(read(wide).total).toMatchObject({ ok: 5, failed: 0, statuses: { '301': 5 } });
    expect(read(wide).profile).toMatchObject({ expectedStatuses: '200-399' });
  });

  it('an expected status is not retried; a bad list is bad input', async () => {
    const server = await started(recordingServer(() => 409));
    const json = join(dir, 'conflict.json');
    expect(
      (await runCli(['ramp', '--target', server.url, '--phase', 'a:250ms:16', '--retries', '2', '--expected-statuses', '2xx,409', '--quiet', '--json', json]))
        .code,
    ).toBe(0);
    expect(read(json).total).toMatchObject({ ok: 4, attempts: 4 });
    const bad = await runCliInProcess(['ramp', '--target', server.url, '--phase', 'a:250ms:16', '--expected-statuses', '200-700']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--expected-statuses: expected statuses such as "200-299"/);
  });
});

describe('redirects', () => {
  it('--redirects follows them within the attempt: the answer is the final one', async () => {
    const server = await started(redirectingServer(302));
    const json = join(dir, 'redirect.json');
    const res = await runCli(['ramp', '--target', server.url, '--phase', 'a:250ms:20', '--redirects', '3', '--quiet', '--json', json]);
    expect(res.code, res.stderr).toBe(0);
    expect(read(json).total).toMatchObject({ ok: 5, attempts: 5, statuses: { '200': 5 } });
    expect(server.seen.filter((r) => r.url === '/final')).toHaveLength(5);
  });

  it('303 turns a POST into a GET without its body; 307 keeps both; credentials do not follow to another origin', async () => {
    const other = await started(redirectingServer());
    const seeOther = await started(redirectingServer(303));
    const temporary = await started(redirectingServer(307, `${other.url}final`));
    const flags = ['--phase', 'a:250ms:8', '--redirects', '1', '-m', 'POST', '--body', 'x=1', '-H', 'authorization: Bearer t', '--quiet'];
    expect((await runCli(['ramp', '--target', seeOther.url, ...flags])).code).toBe(0);
    expect((await runCli(['ramp', '--target', temporary.url, ...flags])).code).toBe(0);
    expect(seeOther.seen.filter((r) => r.url === '/final').map((r) => [r.method, r.body])).toEqual([
      ['GET', ''],
      ['GET', ''],
    ]);
    expect(other.seen.map((r) => [r.method, r.body, r.headers.authorization])).toEqual([
      ['POST', 'x=1', undefined],
      ['POST', 'x=1', undefined],
    ]);
  });
});

describe('TLS', () => {
  it('a self-signed certificate fails by default, and works with --insecure or --ca <its file>', async () => {
    const server = await started(tlsServer());
    const run = async (...flags: string[]): Promise<RunResult> => {
      const json = join(dir, `tls-${flags.join('')}.json`.replace(/[^\w.-]/g, '_'));
      const res = await runCli(['ramp', '--target', server.url, '--phase', 'a:250ms:12', '--quiet', '--json', json, ...flags]);
      expect(res.code, res.stderr).toBe(0);
      return read(json);
    };
    expect((await run()).total.errors).toEqual({ DEPTH_ZERO_SELF_SIGNED_CERT: 3 });
    expect((await run('--insecure')).total.ok).toBe(3);
    expect((await run('--ca', server.certFile)).total.ok).toBe(3);
    const caProfile = profile('ca.yaml', `target: ${server.url}\nclient: { ca: ${server.certFile} }\nphases: [ "a:250ms:12" ]\n`);
    const json = join(dir, 'tls-profile.json');
    expect((await runCli(['ramp', caProfile, '--quiet', '--json', json])).code).toBe(0);
    expect(read(json).total.ok).toBe(3);
  });

  it('a --ca that is not a PEM file is bad input', async () => {
    const res = await runCliInProcess(['ramp', '--target', 'https://127.0.0.1:9/', '--phase', 'a:1s:1', '--ca', profile('not.pem', 'hello')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--ca: expected PEM certificates/);
  });
});

describe('validate names what is wrong', () => {
  it('a misspelt phase key is named, with the field that is then missing; a wrong type is not "missing"', async () => {
    const res = await runCliInProcess(['validate', profile('typo.yaml', 'client: [1]\nphases:\n  - { name: a, duraton: 10s, rate: 5 }\n')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/typo\.yaml:1 client: expected a mapping, got a list/);
    expect(res.stderr).toMatch(/typo\.yaml:3 phases\[0\]\.duraton: unknown key \(allowed: name, duration, rate, vus\)/);
    expect(res.stderr).toMatch(/typo\.yaml:3 phases\[0\]\.duration: missing \(expected a duration such as "30s"\)/);
  });
});
