// `incident-load k8s` keeps secrets out of ConfigMaps (issue 20, and audit 2026-12-07 item 12): what a
// profile references as `${env.TOKEN}` goes into the run's Secret, mapped into the Job's environment, and
// nowhere else in the output; a credential written literally is refused unless --allow-literal-secrets;
// a --target password goes into the Secret too, never into the ConfigMap or the header comment.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { parseProfile } from '../../src/profile/load.js';
import { runCliInProcess as runCli } from '../support/cli-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-k8s-secrets-'));
const TOKEN = 'tok-k8s-0123456789';

function profileFile(name: string, lines: string[]): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `${[`name: ${name}`, 'phases: ["a:10s:10"]', ...lines].join('\n')}\n`);
  return file;
}

type Obj = { kind: string; metadata: { name: string } } & Record<string, unknown>;

beforeEach(() => {
  process.env.TOKEN = TOKEN;
});
afterEach(() => {
  delete process.env.TOKEN;
});

describe('k8s and secrets', () => {
  it('${env.TOKEN} in a header: the token in the Secret only, the Job given it from there, the ConfigMap keeps the reference', async () => {
    const file = profileFile('api', ['request:', '  headers: { Authorization: "Bearer ${env.TOKEN}" }']);
    const res = await runCli(['k8s', file, '--segments', '2', '--target', 'https://staging.example/']);
    expect(res.code, res.stderr).toBe(0);
    const objects = parseAllDocuments(res.stdout).map((d) => d.toJS() as Obj);
    const secret = objects.find((o) => o.kind === 'Secret') as unknown as Secret;
    expect(secret.stringData!['env-TOKEN']).toBe(TOKEN);
    for (const o of objects.filter((x) => x.kind !== 'Secret')) expect(JSON.stringify(o), `${o.kind}/${o.metadata.name}`).not.toContain(TOKEN);
    // Nor anywhere in the text outside the Secret (the header comment included).
    expect(res.stdout.split(TOKEN)).toHaveLength(2);
    const configMaps = objects.filter((o) => o.kind === 'ConfigMap') as unknown as ConfigMap[];
    expect(configMaps).toHaveLength(1);
    const text = configMaps[0]!.data!['profile.yaml']!;
    expect(text).toContain('Authorization: "Bearer ${env.TOKEN}"');
    const container = (objects.find((o) => o.kind === 'Job') as unknown as Job).spec!.template.spec!.containers[0]!;
    expect(container.env).toContainEqual({ name: 'TOKEN', valueFrom: { secretKeyRef: { name: secret.metadata!.name, key: 'env-TOKEN' } } });
    // The pod, given TOKEN from the Secret, sends the token.
    const asPod = parseProfile(text, 'profile.yaml', 'x', process.cwd(), { env: { vars: { TOKEN: secret.stringData!['env-TOKEN']! } } });
    expect(asPod.request.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('a variable that is not set where k8s runs is exit 2 naming it; a name the pods use themselves is refused', async () => {
    delete process.env.TOKEN;
    const res = await runCli([
      'k8s',
      profileFile('unset', ['request:', '  headers: { x-api-key: "${env.TOKEN}" }']),
      '--segments',
      '2',
      '--target',
      'https://x.example/',
    ]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/\$\{env\.TOKEN\}: the environment variable TOKEN is not set/);
    process.env.JOB_COMPLETION_INDEX = '7';
    const own = await runCli([
      'k8s',
      profileFile('own', ['request:', '  headers: { x-a: "${env.JOB_COMPLETION_INDEX}" }']),
      '--segments',
      '2',
      '--target',
      'https://x.example/',
    ]);
    delete process.env.JOB_COMPLETION_INDEX;
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(/JOB_COMPLETION_INDEX is the pods' own/);
  });

  it.each([
    ['a literal bearer token', ['request:', '  headers: { Authorization: "Bearer abc.def.ghi" }'], 'request.headers.Authorization'],
    ['a literal cookie', ['request:', '  headers: { cookie: "sid=123" }'], 'request.headers.cookie'],
    [
      'a login body with its password',
      ['request:', '  method: POST', `  body: '{"user": "a", "password": "hunter2"}'`],
      'request.body (a password-like field)',
    ],
    ['a class with an API key', ['request:', '  mix:', '    - { name: a, share: 1, headers: { X-Api-Key: k123 } }'], 'request.mix[0].headers.X-Api-Key'],
  ])('%s is refused unless --allow-literal-secrets', async (_, lines, where) => {
    const file = profileFile('literal', lines);
    const res = await runCli(['k8s', file, '--segments', '2', '--target', 'https://x.example/']);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(`${where}: a credential written in the profile would go into the ConfigMap`);
    expect(res.stderr).toMatch(/write it as \$\{env\.NAME\} .* or give --allow-literal-secrets/);
    const allowed = await runCli(['k8s', file, '--segments', '2', '--target', 'https://x.example/', '--allow-literal-secrets']);
    expect(allowed.code, allowed.stderr).toBe(0);
  });

  it('audit item 12: a --target password goes into the Secret, not the ConfigMap or the header comment', async () => {
    const res = await runCli(['k8s', 'smoke', '--segments', '2', '--target', 'http://u:secretpw@example.com/x']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.split('secretpw')).toHaveLength(2);
    const objects = parseAllDocuments(res.stdout).map((d) => d.toJS() as Obj);
    const secret = objects.find((o) => o.kind === 'Secret') as unknown as Secret;
    expect(secret.stringData).toMatchObject({ 'env-INCIDENT_LOAD_TARGET_USER': 'u', 'env-INCIDENT_LOAD_TARGET_PASSWORD': 'secretpw' });
    const text = (objects.find((o) => o.kind === 'ConfigMap') as unknown as ConfigMap).data!['profile.yaml']!;
    expect(text).toContain('target: http://${env.INCIDENT_LOAD_TARGET_USER}:${env.INCIDENT_LOAD_TARGET_PASSWORD}@example.com/x');
    expect(res.stdout.split('\n')[0]).toContain('against http://u:***@example.com/x');
    const pod = parseProfile(text, 'p.yaml', 'x', process.cwd(), {
      env: { vars: { INCIDENT_LOAD_TARGET_USER: 'u', INCIDENT_LOAD_TARGET_PASSWORD: 'secretpw' } },
    });
    expect(pod.target).toBe('http://u:secretpw@example.com/x');
  });
});
