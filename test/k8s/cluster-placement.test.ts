// `incident-load k8s` (issue 20): a loopback or link-local target is refused (from a pod it is the pod
// itself), the pods request CPU without a limit, and --node-selector, --toleration and --affinity-label
// reach every pod's spec, valid for the apiserver.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import type { Job as JobType } from 'kubernetes-types/batch/v1.js';
import type { Deployment as DeploymentType } from 'kubernetes-types/apps/v1.js';
import { runCliInProcess as runCli } from '../support/cli-in-process.js';

type Obj = { kind: string; metadata: { name: string } } & Record<string, unknown>;

describe('k8s refuses targets a pod cannot mean', () => {
  it.each([
    ['http://127.0.0.1:8080/', 'a loopback address'],
    ['http://127.1/', 'a loopback address'],
    ['http://2130706433/', 'a loopback address'],
    ['http://localhost:3000/', 'localhost (loopback)'],
    ['http://api.localhost/', 'localhost (loopback)'],
    ['http://[::1]:8080/', 'a loopback address'],
    ['http://[::ffff:127.0.0.1]/', 'a loopback address'],
    ['http://169.254.169.254/latest/meta-data/', 'a link-local address'],
    ['http://[fe80::1]/', 'a link-local address'],
    ['http://0.0.0.0:80/', 'an unspecified address'],
  ])('--target %s', async (target, why) => {
    const res = await runCli(['k8s', 'smoke', '--segments', '2', '--target', target]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(`is ${why}: from a pod it is the pod itself`);
  });

  it("and the same in a profile's target", async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'il-k8s-')), 'local.yaml');
    writeFileSync(file, 'target: http://127.0.0.1:9/\nphases: ["a:10s:5"]\n');
    const res = await runCli(['k8s', file, '--segments', '2']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/local\.yaml: target: 127\.0\.0\.1:9 is a loopback address/);
  });

  it('a name or a routable address is fine', async () => {
    for (const target of ['http://checkout.shop.svc.cluster.local:8080/', 'http://10.0.0.7/', 'http://[2001:db8::1]/']) {
      const res = await runCli(['k8s', 'smoke', '--segments', '2', '--target', target]);
      expect(res.code, res.stderr).toBe(0);
    }
  });
});

describe('k8s placement', async () => {
  const res = await runCli([
    'k8s',
    'quickstart',
    '--segments',
    '2',
    '--node-selector',
    'pool=load',
    '--node-selector',
    'example.com/zone=a',
    '--toleration',
    'dedicated=load:NoSchedule',
    '--toleration',
    'spot:PreferNoSchedule',
    '--affinity-label',
    'disk=ssd',
  ]);
  const objects = parseAllDocuments(res.stdout).map((d) => d.toJS() as Obj);
  const job = objects.find((o) => o.kind === 'Job') as unknown as JobType;
  const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as DeploymentType;

  it('reaches the generators and the mock, as the apiserver takes them', () => {
    expect(res.code, res.stderr).toBe(0);
    for (const spec of [job.spec!.template.spec!, deployment.spec!.template.spec!]) {
      expect(spec.nodeSelector).toEqual({ pool: 'load', 'example.com/zone': 'a' });
      expect(spec.tolerations).toEqual([
        { key: 'dedicated', operator: 'Equal', value: 'load', effect: 'NoSchedule' },
        { key: 'spot', operator: 'Exists', effect: 'PreferNoSchedule' },
      ]);
      expect(spec.affinity).toEqual({
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
          ],
        },
      });
      expect(spec.containers[0]!.resources!.limits).toEqual({ memory: '512Mi' });
    }
    expect(() => new Job(job as never).validate()).not.toThrow();
    expect(() => new Deployment(deployment as never).validate()).not.toThrow();
  });

  it.each([
    [['--node-selector', 'pool'], /--node-selector: expected key=value/],
    [['--node-selector', 'Bad Key=x'], /--node-selector: expected a label key/],
    [['--affinity-label', 'disk=-ssd'], /--affinity-label: expected a label value/],
    [['--toleration', 'dedicated=load'], /--toleration: expected key=value:Effect or key:Effect/],
    [['--toleration', 'dedicated=load:Sometimes'], /--toleration: expected key=value:Effect/],
  ])('k8s quickstart %j is refused', async (flags, message) => {
    const bad = await runCli(['k8s', 'quickstart', '--segments', '2', ...flags]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(message);
    expect(bad.stdout).toBe('');
  });
});
