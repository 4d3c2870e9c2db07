// Secrets out of the open, through the real CLI (issue 20): a profile's `${env.TOKEN}` reaches the target
// and nowhere else — not the result, not the shard lines, not the reports; a request body that holds a
// password is saved as its digest (unless --keep-bodies); a missing variable is exit 2 naming it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/run-result.js';
import { runCli } from '../support/cli.js';
import { recordingServer, type TestServer } from '../support/servers.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-secrets-e2e-'));
let server: (TestServer & { seen: { headers: Record<string, unknown>; body: string; url: string }[] }) | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const TOKEN = 'tok-0123456789abcdef';
const PASSWORD = 'horse-battery-staple';
const LOGIN = '{"user":"alice","password":"hunter2"}';

function profile(target: string): string {
  const file = join(dir, 'login.yaml');
  writeFileSync(
    file,
    [
      'name: login',
      `target: ${target}`,
      'phases: ["a:1s:10"]',
      'request:',
      '  method: POST',
      '  headers: { authorization: "Bearer ${env.TOKEN}", x-trace: "trace-${env.TOKEN}" }',
      '  mix:',
      `    - { name: login, share: 0.5, path: /login, body: '${LOGIN}' }`,
      `    - { name: env, share: 0.5, path: /login2, body: '{"user":"bob","password":"\${env.PASSWORD}"}' }`,
      '',
    ].join('\n'),
  );
  return file;
}

describe('secrets in a run', () => {
  it('${env.TOKEN} reaches the target only; a body with a password is saved as its digest, in every output', async () => {
    server = await recordingServer();
    const out = (ext: string): string => join(dir, `run.${ext}`);
    const res = await runCli(
      ['ramp', profile(server.url), '--json', out('json'), '--html', out('html'), '--junit', out('xml'), '--summary-md', out('md'), '--no-progress'],
      { env: { TOKEN, PASSWORD } },
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(server.seen.length).toBe(10);
    for (const r of server.seen) {
      expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(r.body).toBe(r.url === '/login' ? LOGIN : `{"user":"bob","password":"${PASSWORD}"}`);
    }
    const json = readFileSync(out('json'), 'utf8');
    for (const text of [json, res.stdout, readFileSync(out('html'), 'utf8'), readFileSync(out('xml'), 'utf8'), readFileSync(out('md'), 'utf8')]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain('hunter2');
    }
    const mix = (JSON.parse(json) as RunResult).profile.mix!;
    expect(mix[0]!.body).toBe(`sha256:${createHash('sha256').update(LOGIN).digest('hex')} (${LOGIN.length} bytes)`);
    expect(mix[1]!.body).toMatch(/^sha256:[0-9a-f]{64} \(\d+ bytes\)$/);
  });

  it('--keep-bodies keeps them, values from the environment still masked', async () => {
    server = await recordingServer();
    const json = join(dir, 'kept.json');
    const res = await runCli(['ramp', profile(server.url), '--keep-bodies', '--json', json, '--quiet'], { env: { TOKEN, PASSWORD } });
    expect(res.code).toBe(0);
    const mix = (JSON.parse(readFileSync(json, 'utf8')) as RunResult).profile.mix!;
    expect(mix[0]!.body).toBe(LOGIN);
    expect(mix[1]!.body).toBe('{"user":"bob","password":"***"}');
  });

  it('a variable that is not set: exit 2 naming it, nothing sent', async () => {
    server = await recordingServer();
    const res = await runCli(['ramp', profile(server.url), '--quiet'], { env: { PASSWORD } });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/login\.yaml: request\.headers\.authorization: \$\{env\.TOKEN\}: the environment variable TOKEN is not set/);
    expect(server.seen).toHaveLength(0);
  });
});
