// The manifests `incident-load k8s` prints, checked as far as can be without a cluster: each object against
// the Kubernetes OpenAPI schema (kubernetes-models, the 1.30-era schemas), then the rules the apiserver
// and the controllers apply that a schema cannot say (pkg/apis/batch/validation and friends), and the
// references between the objects (a volume's ConfigMap, a Service's selector, a named port).
// The command runs in this process (test/support/cli-in-process.ts): it only prints.
import { parseAllDocuments, parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import type { Job as JobType } from 'kubernetes-types/batch/v1.js';
import type { Deployment as DeploymentType } from 'kubernetes-types/apps/v1.js';
import type { ConfigMap as ConfigMapType, Container, PodSpec, Secret as SecretType, Service as ServiceType } from 'kubernetes-types/core/v1.js';
import { runCliInProcess as runCli } from '../support/cli-in-process.js';

type Obj = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;

async function manifests(args: string[]): Promise<Obj[]> {
  const res = await runCli(['k8s', ...args]);
  expect(res.code, res.stderr).toBe(0);
  return parseAllDocuments(res.stdout).map((d) => d.toJS() as Obj);
}

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** IANA_SVC_NAME: what a named port may be. */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const byKind = <T>(objects: Obj[], kind: string, name?: string): T =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name)) as T;

describe('k8s: the manifests with the bundled mock', async () => {
  const objects = await manifests(['quickstart', '--segments', '4', '--name', 'qs', '--namespace', 'load-tests']);
  const job = byKind<JobType>(objects, 'Job');
  const pod = job.spec!.template.spec!;
  const container = pod.containers[0]!;
  const deployment = byKind<DeploymentType>(objects, 'Deployment');
  const services = objects.filter((o) => o.kind === 'Service') as unknown as ServiceType[];
  const configMap = byKind<ConfigMapType>(objects, 'ConfigMap');
  const secret = byKind<SecretType>(objects, 'Secret');

  it('holds, in order, the Secret, the ConfigMap, the mock Service and Deployment, the headless Service and the Job', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Secret/qs-tokens',
      'ConfigMap/qs-profile',
      'Service/qs-mock',
      'Deployment/qs-mock',
      'Service/qs',
      'Job/qs',
    ]);
    for (const o of objects) expect(o.metadata.namespace).toBe('load-tests');
  });

  it('validates every object against the Kubernetes schema', () => {
    const models: Record<string, (o: Obj) => { validate(): void }> = {
      Job: (o) => new Job(o as never),
      Deployment: (o) => new Deployment(o as never),
      ConfigMap: (o) => new ConfigMap(o as never),
      Secret: (o) => new Secret(o as never),
      Service: (o) => new Service(o as never),
    };
    for (const o of objects) expect(() => models[o.kind]!(o).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
  });

  it('the schema check is real: it refuses a Job the apiserver would refuse for its types', () => {
    const bad = structuredClone(job) as unknown as Obj & { spec: { completionMode: string; completions: unknown } };
    bad.spec.completionMode = 'Indexd';
    expect(() => new Job(bad as never).validate()).toThrow(/allowed values/);
    const worse = structuredClone(job) as unknown as Obj & { spec: { completions: unknown } };
    worse.spec.completions = 'four';
    expect(() => new Job(worse as never).validate()).toThrow(/integer/);
  });

  it('is an Indexed Job of n pods, all at once, each tried once', () => {
    const spec = job.spec!;
    expect(spec.completionMode).toBe('Indexed');
    // Indexed needs completions; parallelism ≤ completions (here equal: every segment runs at once) and ≤ 10^5.
    expect(spec.completions).toBe(4);
    expect(spec.parallelism).toBe(spec.completions);
    expect(spec.parallelism).toBeLessThanOrEqual(100_000);
    expect(spec.backoffLimit).toBe(0);
    // podFailurePolicy needs restartPolicy Never; its exit-code rule must name a container of the pod and
    // never use 0 with In.
    expect(pod.restartPolicy).toBe('Never');
    const rules = spec.podFailurePolicy!.rules;
    expect(rules.every((r) => r.action === 'FailJob')).toBe(true);
    const exit = rules.find((r) => r.onExitCodes)!.onExitCodes!;
    expect(exit).toEqual({ containerName: container.name, operator: 'NotIn', values: [0] });
    expect(rules.some((r) => r.onPodConditions?.some((c) => c.type === 'DisruptionTarget' && c.status === 'True'))).toBe(true);
    expect(Number.isInteger(spec.activeDeadlineSeconds) && spec.activeDeadlineSeconds! > 0).toBe(true);
    // quickstart: 25 s at speed 1, + 2 min barrier + 5 min.
    expect(spec.activeDeadlineSeconds).toBe(25 + 120 + 300);
    expect(spec.ttlSecondsAfterFinished).toBe(3600);
  });

  it('runs segment $(JOB_COMPLETION_INDEX) of n, with the variable declared in the container (so the kubelet expands it)', () => {
    expect(container.command).toEqual(['incident-load']);
    expect(container.args!.slice(0, 4)).toEqual(['ramp', '/profile/profile.yaml', '--segment', '$(JOB_COMPLETION_INDEX)/4']);
    const env = container.env!.find((e) => e.name === 'JOB_COMPLETION_INDEX')!;
    expect(env.valueFrom!.fieldRef!.fieldPath).toBe("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    // Every $(VAR) in args names a declared variable: an undeclared one would be passed through literally.
    for (const ref of container.args!.join(' ').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) expect(container.env!.map((e) => e.name)).toContain(ref[1]);
    expect(container.args).toEqual(expect.arrayContaining(['--barrier', 'qs-0.qs:7070', '--barrier-host', '0.0.0.0', '--shard-stdout']));
    expect(container.args).toEqual(
      expect.arrayContaining(['--target', 'http://qs-mock:8080', '--control', 'http://qs-mock:8081', '--token-file', '/var/run/incident-load/control-token']),
    );
  });

  it("names: DNS labels everywhere, the pods' hostnames <job>-<index> included, and the subdomain is the headless Service", () => {
    for (const o of objects) {
      expect(o.metadata.name.length).toBeLessThanOrEqual(63);
      expect(o.metadata.name).toMatch(o.kind === 'Service' ? DNS_1035_LABEL : DNS_1123_LABEL);
      for (const value of Object.values(o.metadata.labels ?? {})) expect(value.length).toBeLessThanOrEqual(63);
    }
    for (let i = 0; i < 4; i++) expect(`${job.metadata!.name}-${i}`).toMatch(DNS_1123_LABEL);
    const headless = services.find((s) => s.spec!.clusterIP === 'None')!;
    expect(pod.subdomain).toBe(headless.metadata!.name);
    expect(headless.spec!.publishNotReadyAddresses).toBe(true);
  });

  it('wires the objects together: selectors match their pods, volumes their ConfigMap and Secret, named ports exist', () => {
    const generatorLabels = job.spec!.template.metadata!.labels!;
    const mockLabels = deployment.spec!.template.metadata!.labels!;
    const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v);
    expect(matches(deployment.spec!.selector.matchLabels!, mockLabels)).toBe(true);
    expect(matches(deployment.spec!.selector.matchLabels!, generatorLabels)).toBe(false);
    const mockService = services.find((s) => s.metadata!.name === 'qs-mock')!;
    expect(matches(mockService.spec!.selector!, mockLabels)).toBe(true);
    const headless = services.find((s) => s.metadata!.name === 'qs')!;
    expect(matches(headless.spec!.selector!, generatorLabels)).toBe(true);
    expect(matches(headless.spec!.selector!, mockLabels)).toBe(false);
    expect(matches(pod.topologySpreadConstraints![0]!.labelSelector!.matchLabels!, generatorLabels)).toBe(true);

    const checkPod = (spec: PodSpec, c: Container): void => {
      const volumes = new Map(spec.volumes!.map((v) => [v.name, v]));
      for (const m of c.volumeMounts!) expect(volumes.has(m.name), m.name).toBe(true);
      for (const v of spec.volumes!) {
        if (v.configMap) expect(v.configMap.name).toBe(configMap.metadata!.name);
        if (v.secret) expect(v.secret.secretName).toBe(secret.metadata!.name);
      }
      for (const p of c.ports!) expect(p.name).toMatch(PORT_NAME);
      for (const e of c.env!) if (e.valueFrom?.secretKeyRef) expect(Object.keys(secret.stringData!)).toContain(e.valueFrom.secretKeyRef.key);
    };
    checkPod(pod, container);
    checkPod(deployment.spec!.template.spec!, deployment.spec!.template.spec!.containers[0]!);
    const portNames = (c: Container): string[] => c.ports!.map((p) => p.name!);
    for (const p of mockService.spec!.ports!) expect(portNames(deployment.spec!.template.spec!.containers[0]!)).toContain(p.targetPort);
    for (const p of headless.spec!.ports!) expect(portNames(container)).toContain(p.targetPort);
    for (const key of [...Object.keys(configMap.data!), ...Object.keys(secret.stringData!)]) expect(key).toMatch(CONFIG_KEY);
    // The token files the args name are the Secret's keys, under its mount.
    const tokenFiles = container.args!.filter((a) => a.startsWith('/var/run/incident-load/')).map((a) => a.slice('/var/run/incident-load/'.length));
    expect(tokenFiles.sort()).toEqual(Object.keys(secret.stringData!).sort());
  });

  it('runs non-root, without privileges or API access, CPU requested but not limited (no CFS throttling), spread across nodes', () => {
    for (const spec of [pod, deployment.spec!.template.spec!]) {
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      expect(spec.automountServiceAccountToken).toBe(false);
      const c = spec.containers[0]!;
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.resources).toEqual({ requests: { cpu: '1', memory: '512Mi' }, limits: { memory: '512Mi' } });
    }
    expect(pod.topologySpreadConstraints![0]).toMatchObject({ maxSkew: 1, topologyKey: 'kubernetes.io/hostname' });
  });

  it('one mock for every segment, listening for the other pods, its token from the Secret', () => {
    expect(deployment.spec!.replicas).toBe(1);
    const mock = deployment.spec!.template.spec!.containers[0]!;
    expect(mock.args).toEqual(['mock', '/profile/profile.yaml', '--host', '0.0.0.0', '--port', '8080', '--control-port', '8081']);
    expect(mock.env!.find((e) => e.name === 'INCIDENT_LOAD_CONTROL_TOKEN')!.valueFrom!.secretKeyRef).toEqual({ name: 'qs-tokens', key: 'control-token' });
  });

  it('holds the profile as it will run: the bundled one (its target the mock, given to the pods as --target), and tokens made for this run', () => {
    const profile = parse(configMap.data!['profile.yaml']!) as Record<string, unknown>;
    expect(profile).toMatchObject({ name: 'quickstart', speed: 1, seed: 1 });
    expect(profile.target).toBeUndefined();
    expect(profile.faults).toEqual([{ at: '15s', fault: 'shrink-fleet', workers: 4 }]);
    expect(configMap.immutable).toBe(true);
    const tokens = Object.values(secret.stringData!);
    expect(tokens).toHaveLength(2);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(2);
  });
});

describe('k8s: against a --target, with the flags written into the profile', async () => {
  const objects = await manifests([
    'smoke',
    '--segments',
    '2',
    '--target',
    'https://staging.example/api/',
    '--threshold',
    'p99 < 500ms',
    '--seed',
    '9',
    '--image',
    'registry.example:5000/team/il:1.2.3',
    '--cpu',
    '500m',
    '--memory',
    '1Gi',
  ]);

  it('has no mock, no control token, and sends to the target', () => {
    expect(objects.map((o) => o.kind)).toEqual(['Secret', 'ConfigMap', 'Service', 'Job']);
    const job = byKind<JobType>(objects, 'Job');
    const c = job.spec!.template.spec!.containers[0]!;
    expect(c.args).not.toContain('--control');
    expect(c.image).toBe('registry.example:5000/team/il:1.2.3');
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } });
    expect(Object.keys(byKind<SecretType>(objects, 'Secret').stringData!)).toEqual(['barrier-token']);
    expect(job.metadata!.name).toBe('incident-load-smoke');
    const profile = parse(byKind<ConfigMapType>(objects, 'ConfigMap').data!['profile.yaml']!) as Record<string, unknown>;
    expect(profile).toMatchObject({ target: 'https://staging.example/api/', seed: 9, thresholds: ['success >= 99%', 'steady: p99 < 1s', 'p99 < 500ms'] });
    for (const o of objects) expect(o.metadata.namespace).toBeUndefined();
  });
});

describe('k8s: bad input is exit 2, naming the flag, and prints nothing', () => {
  it.each([
    [['--segments', '0'], /--segments: expected .*1 to 10000/],
    [['--segments', 'four'], /--segments: expected/],
    [[], /required option '--segments <n>' not specified/],
    [['--segments', '2', '--image', 'Not A/Image!'], /--image: expected an image reference/],
    [['--segments', '2', '--image', 'ghcr.io/org/il:bad tag'], /--image: expected an image reference/],
    [['--segments', '2', '--namespace', 'Load_Tests'], /--namespace: expected a DNS label/],
    [['--segments', '2', '--namespace', 'a'.repeat(64)], /--namespace: expected a DNS label/],
    [['--segments', '2', '--name', '9lives'], /--name: expected a DNS label/],
    [['--segments', '2', '--name', 'x'.repeat(59)], /--name: expected a DNS label of at most 58 characters/],
    [['--segments', '2', '--cpu', '-1'], /--cpu: expected a Kubernetes quantity/],
    [['--segments', '2', '--memory', '0'], /--memory: expected a Kubernetes quantity above zero/],
    [['--segments', '2', '--threshold', 'p99 <'], /--threshold p99 <: .*expected a latency/],
    [['--segments', '2', '--target', 'ftp://x'], /--target/],
    // Against a real service, time cannot be compressed.
    [['--segments', '2', '--target', 'https://staging.example/', '--speed', '10'], /--speed 10: time compression is for the bundled mock only/],
    // What only the run as pod 0 would build it finds: a threshold on a phase the profile does not have.
    [['--segments', '2', '--threshold', 'nosuch: p99 < 1s'], /as the pods would run it.*nosuch/],
  ])('k8s quickstart %j', async (args, message) => {
    const res = await runCli(['k8s', 'quickstart', ...args]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stdout).toBe('');
  });
});
