// `incident-load k8s` keeps the proxy (issue 20): a profile's `target: {proxy: true}` (or --via-proxy)
// stays `{url, proxy: true}` in the ConfigMap, so each pod's ramp starts the proxy in front of the target
// and applies the faults; what n proxies cannot do (a limit they would each apply) is refused, and so are
// faults nobody would apply. Never a plain URL with the faults "not applied".
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { parseProfile } from '../../src/profile/load.js';
import { buildRunPlan } from '../../src/run/plan.js';
import { runCliInProcess as runCli } from '../support/cli-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-k8s-proxy-'));

function profileFile(name: string, lines: string[]): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `${[`name: ${name}`, ...lines].join('\n')}\n`);
  return file;
}

type Obj = { kind: string; metadata: { name: string } } & Record<string, unknown>;

async function manifests(args: string[]): Promise<Obj[]> {
  const res = await runCli(['k8s', ...args]);
  expect(res.code, res.stderr).toBe(0);
  return parseAllDocuments(res.stdout).map((d) => d.toJS() as Obj);
}

const PROXIED = ['target: { proxy: true }', 'phases: ["a:10s:10"]', 'faults:', '  - { at: 2s, fault: add-latency, latency: 50ms }'];
const PLAIN_WITH_FAULT = ['phases: ["a:10s:10"]', 'faults:', '  - { at: 2s, fault: error-rate, rate: 10% }'];

describe('k8s keeps the proxy', () => {
  it.each([
    ['target: {proxy: true} in the profile', profileFile('proxied', PROXIED), []],
    ['--via-proxy', profileFile('flagged', PLAIN_WITH_FAULT), ['--via-proxy']],
  ])('%s: the ConfigMap says {url, proxy: true}, and the profile as a pod reads it applies the faults through the proxy', async (_, file, flags) => {
    const objects = await manifests([file, '--segments', '3', '--target', 'https://staging.example/api/', ...flags]);
    expect(objects.map((o) => o.kind)).toEqual(['Secret', 'ConfigMap', 'Service', 'Job']);
    const text = (objects[1] as unknown as ConfigMap).data!['profile.yaml']!;
    expect(text).toMatch(/\ntarget:\n {2}url: https:\/\/staging\.example\/api\/\n {2}proxy: true\n/);
    // Pod 2 of 3 as it will run: the proxy in front of the target, applying the profile's fault.
    const plan = buildRunPlan(parseProfile(text, 'profile.yaml', 'x'), { segment: { index: 2, count: 3 } });
    expect(plan.viaProxy).toBe(true);
    expect(plan.target).toBe('https://staging.example/api/');
    expect(plan.faults).toHaveLength(1);
    const args = (objects[3] as unknown as Job).spec!.template.spec!.containers[0]!.args!;
    expect(args).not.toContain('--control');
    expect(args).not.toContain('--skip-faults');
    expect(Object.keys((objects[0] as unknown as Secret).stringData!)).toEqual(['barrier-token']);
  });

  it.each([
    [[profileFile('no-url', PROXIED), '--segments', '2'], /target: \{ proxy: true \} puts the proxy in front of a real service: give its URL with --target/],
    [['quickstart', '--segments', '2', '--via-proxy'], /--via-proxy puts the proxy in front of a real service: give its URL with --target/],
    // A limit every pod's proxy applied would be n times as loose: refused, saying what to do instead.
    [
      [
        profileFile('capped', ['phases: ["a:10s:10"]', 'faults:', '  - { at: 2s, fault: rate-limit, rate: 5/s }']),
        '--segments',
        '2',
        '--via-proxy',
        '--target',
        'https://x.example/',
      ],
      /rate-limit: through the proxy, each of the 2 segments starts one of its own, and a limit applied by each would be 2 times as loose in all: run one segment \(k8s --segments 1/,
    ],
    // Faults with a target URL and no proxy: nobody would apply them.
    [
      [profileFile('unapplied', PLAIN_WITH_FAULT), '--segments', '2', '--target', 'https://x.example/'],
      /the profile's faults \(.*fault error-rate\) need the bundled mock .* send through the proxy with --via-proxy .* or give --skip-faults/,
    ],
  ])('k8s %j is refused', async (args, message) => {
    const res = await runCli(['k8s', ...args]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stdout).toBe('');
  });

  it('with one segment a limit is fine (one proxy); --skip-faults goes to the pods, which then run without them', async () => {
    const capped = profileFile('capped-one', ['phases: ["a:10s:10"]', 'faults:', '  - { at: 2s, fault: cap-connections, connections: 2, queue: 5 }']);
    await manifests([capped, '--segments', '1', '--via-proxy', '--target', 'https://x.example/']);
    const objects = await manifests([profileFile('skipped', PLAIN_WITH_FAULT), '--segments', '2', '--target', 'https://x.example/', '--skip-faults']);
    expect((objects.find((o) => o.kind === 'Job') as unknown as Job).spec!.template.spec!.containers[0]!.args).toContain('--skip-faults');
  });
});
