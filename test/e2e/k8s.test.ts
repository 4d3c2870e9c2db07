// `incident-load k8s` without a cluster: the Job's own container (command, args, env) and the mock
// Deployment's, taken from the generated manifests, run as local processes the way the kubelet would run
// them — pod i with JOB_COMPLETION_INDEX=i — through the start barrier and the stdout shards, read back
// with `collect` from one interleaved log as `kubectl logs --prefix` writes it, and compared with the
// same profile run in one process. What the test substitutes, and why (nothing else is changed):
//   - `incident-load` (the image's entrypoint) -> node bin/incident-load.js, the same bin;
//   - /profile/profile.yaml and /var/run/incident-load/<key> (the ConfigMap and Secret volumes) -> files
//     holding the ConfigMap's and the Secret's data; the env's secretKeyRef -> the Secret's value;
//   - XDG_RUNTIME_DIR=/tmp (an emptyDir in the pod) -> a private temporary directory;
//   - the listen addresses 0.0.0.0 (a pod's) -> 127.0.0.1, and the mock's fixed ports -> 0 (tests start
//     loopback servers on free ports only);
//   - the Services' DNS names -> those servers: <name>-mock:8080/8081 -> the URLs the mock printed;
//     <name>-0.<name>:7070 -> 127.0.0.1:0 for segment 0 (it serves the barrier on a free port and says
//     which) and that address for the others;
//   - $(JOB_COMPLETION_INDEX) -> i, expanded by the kubelet's rule ($(VAR) from the env, $$ -> $);
//   - --barrier-timeout, in the failure cases only, -> a few seconds.
// `k8s` (which writes manifests) and `collect` (which reads logs) run the CLI's code in this process, as
// runCliInProcess does for bad input: neither runs load, and each Node start-up costs half a second.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { ConfigMap, Container, Secret } from 'kubernetes-types/core/v1.js';
import type { PhaseResult, RunResult } from '../../src/result/run-result.js';
import { BIN, runCli, startMockCli, type CliResult, type MockCli } from '../support/cli.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'incident-load-k8s-'));
const at = (name: string): string => join(dir, name);
const read = (name: string): RunResult => JSON.parse(readFileSync(at(name), 'utf8')) as RunResult;
const N = 3;
const NAME = 'e2e';

// Four workers at 20 ms serve 200 req/s; 100 req/s arrive. At 2 s three of them go away: 50 req/s are
// served and the rest time out in the queue (1 s). The runs are compared on the phase after the queue
// settled (`shrunk`), not the one the fault opens: a fault reaching the mock late on a busy machine would
// otherwise be what is measured (test/e2e/segments.test.ts says more). Speed 2: 6 s of incident time in
// 3 s. The threshold
// holds for the whole run (100/s) and fails on any third of it (33/s): only the merge can pass it.
const PROFILE = at('pods.yaml');
writeFileSync(
  PROFILE,
  [
    'name: pods',
    'speed: 2',
    'seed: 11',
    'mock:',
    '  fleet: { workers: 4, serviceTime: exp:20ms }',
    '  queue: { order: fifo, timeout: 1s }',
    'phases:',
    '  - { name: steady, duration: 2s, rate: 100/s }',
    '  - { name: shrinking, duration: 2s, rate: 100/s }',
    '  - { name: shrunk, duration: 2s, rate: 100/s }',
    'faults:',
    '  - { at: 2s, fault: shrink-fleet, workers: 1 }',
    'thresholds:',
    '  - rps >= 80',
    '',
  ].join('\n'),
);

interface Manifests {
  profileYaml: string;
  secret: Record<string, string>;
  generator: Container;
  mock: Container;
}

let manifests: Manifests;

/** The generated manifests, parsed: what the pods would be given. */
async function generate(): Promise<Manifests> {
  const res = await runCliInProcess(['k8s', PROFILE, '--segments', String(N), '--name', NAME]);
  expect(res.code, res.stderr).toBe(0);
  const objects = parseAllDocuments(res.stdout).map((d) => d.toJS() as { kind: string });
  const job = objects.find((o) => o.kind === 'Job') as Job;
  return {
    profileYaml: (objects.find((o) => o.kind === 'ConfigMap') as ConfigMap).data!['profile.yaml']!,
    secret: (objects.find((o) => o.kind === 'Secret') as Secret).stringData!,
    generator: job.spec!.template.spec!.containers[0]!,
    mock: (objects.find((o) => o.kind === 'Deployment') as Deployment).spec!.template.spec!.containers[0]!,
  };
}

/** The kubelet's $(VAR) expansion in command and args: from the container's env; $$ is a literal $. */
function expand(arg: string, env: Record<string, string>): string {
  return arg.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string | undefined) => (name === undefined ? '$' : (env[name] ?? whole)));
}

/** A pod's files: the ConfigMap and Secret volumes as a directory, the paths in args mapped to it. */
function volumes(profileYaml: string, secret: Record<string, string>, tag: string): (arg: string) => string {
  const root = mkdtempSync(join(dir, `${tag}-`));
  writeFileSync(join(root, 'profile.yaml'), profileYaml);
  for (const [key, value] of Object.entries(secret)) writeFileSync(join(root, key), value);
  return (arg) => {
    if (arg === '/profile/profile.yaml') return join(root, 'profile.yaml');
    const token = /^\/var\/run\/incident-load\/(.+)$/.exec(arg);
    return token ? join(root, token[1]!) : arg;
  };
}

/** Starts the mock from the Deployment's container, on loopback at free ports. */
async function startPodMock(m: Manifests): Promise<MockCli> {
  const c = m.mock;
  expect(c.command).toEqual(['incident-load']);
  const files = volumes(m.profileYaml, m.secret, 'mock');
  const args = c
    .args!.map(files)
    .map((a, i, all) => (all[i - 1] === '--host' ? '127.0.0.1' : all[i - 1] === '--port' || all[i - 1] === '--control-port' ? '0' : a));
  expect(args[0]).toBe('mock');
  const env: Record<string, string> = {};
  for (const e of c.env!) {
    const ref = e.valueFrom?.secretKeyRef;
    env[e.name] = ref ? m.secret[ref.key]! : e.name === 'XDG_RUNTIME_DIR' ? mkdtempSync(join(dir, 'runtime-')) : e.value!;
  }
  return startMockCli(args.slice(1), 15_000, env);
}

type LogLine = { t: number; line: string };

interface Pod {
  index: number;
  /** Every line it wrote, stdout and stderr together as a container log holds them, as they came. */
  log: LogLine[];
  result: Promise<CliResult>;
}

/** Pod `index` from the Job's container; `barrier` is where segment 0's barrier is (127.0.0.1:0 for itself). */
function startPod(m: Manifests, mock: MockCli | undefined, index: number, barrier: string, change: (args: string[]) => string[] = (a) => a): Pod {
  const c = m.generator;
  expect(c.command).toEqual(['incident-load']);
  const env: Record<string, string> = {};
  for (const e of c.env!) env[e.name] = e.name === 'JOB_COMPLETION_INDEX' ? String(index) : e.value!;
  const files = volumes(m.profileYaml, m.secret, `pod-${index}`);
  const args = change(
    c
      .args!.map((a) => expand(a, env))
      .map(files)
      .map((a) => {
        if (a === `${NAME}-0.${NAME}:7070`) return barrier;
        if (a === '0.0.0.0') return '127.0.0.1';
        if (mock && a === `http://${NAME}-mock:8080`) return mock.url;
        if (mock && a === `http://${NAME}-mock:8081`) return mock.controlUrl;
        return a;
      }),
  );
  const log: LogLine[] = [];
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  const collectLines = (key: 'stdout' | 'stderr') => {
    let rest = '';
    return (d: Buffer): void => {
      out[key] += d.toString();
      const parts = (rest + d.toString()).split('\n');
      rest = parts.pop()!;
      for (const line of parts) log.push({ t: performance.now(), line });
    };
  };
  child.stdout.on('data', collectLines('stdout'));
  child.stderr.on('data', collectLines('stderr'));
  const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  const result = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, ...out });
    }),
  );
  return { index, log, result };
}

/** Segment 0 first, until it says where its barrier listens; then the others, told that address. */
async function runPods(m: Manifests, mock: MockCli | undefined, indexes: readonly number[], change?: (i: number, args: string[]) => string[]): Promise<Pod[]> {
  const first = startPod(m, mock, 0, '127.0.0.1:0', change && ((a) => change(0, a)));
  const listening = /start barrier listening on (\S+)/;
  const address = await new Promise<string>((resolve, reject) => {
    void first.result.then((r) => reject(new Error(`segment 0 ended (${r.code}) before its barrier listened: ${r.stderr}`)));
    const check = setInterval(() => {
      const line = first.log.find((l) => listening.test(l.line));
      if (!line) return;
      clearInterval(check);
      resolve(listening.exec(line.line)![1]!);
    }, 20);
  });
  const pods = [first, ...indexes.filter((i) => i !== 0).map((i) => startPod(m, mock, i, address, change && ((a) => change(i, a))))];
  await Promise.all(pods.map((p) => p.result));
  return pods;
}

/** The pods' logs in one file, as `kubectl logs -l … --prefix` writes them: each line after its pod's name, pods interleaved. */
function kubectlLogs(pods: readonly Pod[], file: string): string {
  const lines = pods
    .flatMap((p) => p.log.map((l) => ({ ...l, line: `[pod/${NAME}-${p.index}-x7k2p/incident-load] ${l.line}` })))
    .sort((a, b) => a.t - b.t)
    .map((l) => l.line);
  writeFileSync(at(file), `${lines.join('\n')}\n`);
  return at(file);
}

const phase = (r: RunResult, name: string): PhaseResult => r.phases.find((p) => p.name === name)!;

describe('k8s: the Job run as local pods, collected from their logs', () => {
  let mock: MockCli | undefined;
  let pods: Pod[] = [];
  const runs: { single?: CliResult; collect?: CliResult } = {};
  let faultLog: unknown[] = [];

  beforeAll(async () => {
    manifests = await generate();
    runs.single = await runCli(['ramp', PROFILE, '--json', at('single.json'), '-q']);
    mock = await startPodMock(manifests);
    pods = await runPods(manifests, mock, [0, 1, 2]);
    const token = manifests.secret['control-token']!;
    faultLog = (await (await fetch(`${mock.controlUrl}/faults`, { headers: { authorization: `Bearer ${token}` } })).json()) as unknown[];
    runs.collect = await runCliInProcess(['collect', kubectlLogs(pods, 'run.log'), '--json', at('merged.json')]);
  }, 90_000);

  afterAll(async () => {
    await mock?.stop();
  });

  it("every pod exits 0 (thresholds are the merge's), and collect judges the merge: exit 0, as the single run", async () => {
    for (const p of pods) expect((await p.result).code, (await p.result).stderr).toBe(0);
    expect(runs.single!.code, runs.single!.stderr).toBe(0);
    expect(runs.collect!.code, runs.collect!.stderr).toBe(0);
    expect(read('merged.json').thresholds.map((t) => [t.expr, t.ok])).toEqual([['rps >= 80', true]]);
    // Each pod's own slice fails it: the verdict could only come from the merge.
    for (const p of pods) expect((await p.result).stderr).toMatch(/FAIL\s+rps >= 80\s+actual 33/);
  });

  it('offers exactly what the single run offers, phase by phase', () => {
    const [single, merged] = [read('single.json'), read('merged.json')];
    for (const name of ['steady', 'shrinking', 'shrunk']) {
      expect(phase(single, name).offered).toBe(200);
      expect(phase(merged, name).offered).toBe(200);
    }
    expect(merged.segments!.map((s) => s.offered)).toEqual([200, 200, 200]);
  });

  it('measures the same service: success and latency within what 200 samples a phase allow', () => {
    const [single, merged] = [read('single.json'), read('merged.json')];
    // Full fleet at half load: nearly all succeed, however the run is split.
    expect(phase(single, 'steady').successRatio).toBeGreaterThan(0.95);
    expect(phase(merged, 'steady').successRatio).toBeGreaterThan(0.95);
    // One worker for 100 req/s, its queue settled: about half succeed. Binomial sd over 200 is 0.035; the
    // single queue's own randomness is larger, and the two runs are two draws of it: they agree within 0.15.
    const [a, b] = [phase(single, 'shrunk'), phase(merged, 'shrunk')];
    expect(b.successRatio).toBeGreaterThan(0.3);
    expect(b.successRatio).toBeLessThan(0.8);
    expect(Math.abs(a.successRatio - b.successRatio)).toBeLessThan(0.15);
    // The successes of the shrunk phase waited in a full queue: a median of a few hundred ms in both.
    expect(b.okLatencyMs!.p50).toBeGreaterThan(150);
    expect(Math.abs(a.okLatencyMs!.p50 - b.okLatencyMs!.p50) / a.okLatencyMs!.p50).toBeLessThan(0.35);
  });

  it("applies the fault once, through the mock Deployment's control API with the Secret's token", () => {
    expect(faultLog).toHaveLength(1);
    expect(faultLog[0]).toMatchObject({ fault: 'shrink-fleet', params: { workers: 1 } });
    expect(mock!.stdout().match(/shrink-fleet workers=1 applied/g)).toHaveLength(1);
    expect(read('merged.json').faults).toEqual([{ at: 2_000, fault: 'shrink-fleet', params: { workers: 1 } }]);
  });

  it('starts together at the barrier: one requested start for all, each skew recorded and reported', () => {
    const merged = read('merged.json');
    const starts = pods.map((p) => /starting at (\S+)/.exec(p.log.map((l) => l.line).join('\n'))?.[1]);
    expect(new Set(starts).size).toBe(1);
    expect(starts[0]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(merged.segments!.map((s) => s.index)).toEqual([0, 1, 2]);
    for (const s of merged.segments!) expect(s.startSkewMs).toBeGreaterThanOrEqual(0);
    expect(runs.collect!.stdout).toMatch(/merged\s+3 segments/);
    expect(runs.collect!.stdout).toMatch(/^segment\s+offered\s+achieved\s+success\s+p99\s+send lag\s+start/m);
  });

  it('collect takes the logs one file per pod, or on stdin, alike', async () => {
    const files = pods.map((p) => kubectlLogs([p], `pod-${p.index}.log`));
    const each = await runCliInProcess(['collect', ...files, '--json', at('each.json'), '--html', at('each.html'), '-q']);
    expect(each.code, each.stderr).toBe(0);
    expect(read('each.json').total.offered).toBe(600);
    // The merged run as HTML too, with its segments' breakdown (the page embeds the result it drew).
    const html = readFileSync(at('each.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('"segments"');
  });

  it("a missing shard: a pod's log not given is exit 2, naming its segment; nothing is merged", async () => {
    const logs = [0, 2].map((i) => kubectlLogs([pods[i]!], `only-${i}.log`));
    const res = await runCliInProcess(['collect', ...logs, '--json', at('never.json')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/segment 1 of 3: nothing in the logs \(no shard, no error\): its pod never started/);
    expect(() => readFileSync(at('never.json'))).toThrow();
  });

  it('a truncated shard (a log cut while it was written) is exit 2, naming its segment', async () => {
    const log = readFileSync(kubectlLogs([pods[1]!], 'pod-1-full.log'), 'utf8').split('\n');
    const cut = log.findIndex((l) => / 2\/\d+ /.test(l) && l.includes('@incident-load/shard 1/3'));
    writeFileSync(at('pod-1-cut.log'), log.slice(0, cut).join('\n'));
    const res = await runCliInProcess(['collect', kubectlLogs([pods[0]!], 'p0.log'), at('pod-1-cut.log'), kubectlLogs([pods[2]!], 'p2.log')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/segment 1 of 3: its shard is truncated \(1 of \d+ lines, no end line\)/);
  });
});

describe('k8s: a pod that fails, a pod that never starts', () => {
  let mock: MockCli | undefined;
  beforeAll(async () => {
    manifests ??= await generate();
    mock = await startPodMock(manifests);
  }, 30_000);
  afterAll(async () => {
    await mock?.stop();
  });

  it('a pod that exits non-zero (pod 2 given another control token): the others never start, and collect exits 3, naming segment 2 and its error', async () => {
    // A segment meets the barrier once it is ready; one that fails getting ready never arrives, and the
    // others give up at the barrier's timeout (short here), naming it, rather than run a load nobody can merge.
    const pods = await runPods(manifests, mock, [0, 1, 2], (i, args) => {
      const short = args.map((a, k) => (args[k - 1] === '--barrier-timeout' ? '10s' : a));
      if (i !== 2) return short;
      const file = at('wrong-token');
      writeFileSync(file, 'not-this-mocks-token-at-all');
      return short.map((a, k) => (short[k - 1] === '--token-file' ? file : a));
    });
    expect((await pods[2]!.result).code).toBe(2);
    for (const p of pods.slice(0, 2)) {
      const r = await p.result;
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/segment 2 of 3 did not reach the start barrier within 10s/);
    }
    const res = await runCliInProcess(['collect', kubectlLogs(pods, 'failed.log')]);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/segment 2 of 3 failed before writing its shard: .*--control .*token/);
    expect(res.stderr).toMatch(/nothing merged: segments 0, 1, 2 of 3 are not whole/);
  }, 60_000);

  it('a pod that never starts: the barrier gives up within its timeout, the pods exit 3 naming it, and so does collect', async () => {
    // Long enough for pod 1's Node to start on two busy cores (a few seconds at worst), far below 2m.
    const short = (_: number, args: string[]): string[] => args.map((a, k) => (args[k - 1] === '--barrier-timeout' ? '10s' : a));
    const pods = await runPods(manifests, mock, [0, 1], short);
    for (const p of pods) {
      const r = await p.result;
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/segment 2 of 3 did not reach the start barrier within 10s/);
    }
    const res = await runCliInProcess(['collect', kubectlLogs(pods, 'never-started.log')]);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/segment 2 of 3: nothing in the logs/);
    expect(res.stderr).toMatch(/segment 0 of 3 failed before writing its shard: .*segment 2 of 3 did not reach the start barrier/);
  }, 60_000);
});
