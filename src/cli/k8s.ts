// `incident-load k8s <profile> --segments n`: the Kubernetes manifests of one run split across n pods, on
// stdout as YAML for `kubectl apply -f -`: the profile as it will run (a ConfigMap), the run's tokens (a
// Secret), the bundled mock as a Deployment and Service unless --target, the Job's headless Service (the
// start barrier's DNS name) and the Indexed Job. Everything that decides what runs is checked here, as the
// pods would run it, so a bad flag is exit 2 now rather than n failed pods later. docs/kubernetes.md.
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { formatDuration } from '../core/units.js';
import { toolVersion } from '../core/version.js';
import * as values from '../core/values.js';
import { generatorSelector } from '../k8s/labels.js';
import { manifestsYaml, runManifests } from '../k8s/manifests.js';
import { mockUrls } from '../k8s/mock.js';
import { checkImage, checkNamespace, checkQuantity, checkRunName, defaultRunName, ManifestInputError } from '../k8s/names.js';
import { runProfileYaml } from '../k8s/run-profile.js';
import { checkClusterTarget } from '../k8s/cluster-target.js';
import { parseLabel, parseToleration } from '../k8s/placement.js';
import type { RunManifestInput } from '../k8s/run-input.js';
import { newControlToken } from '../mock/control-api.js';
import { loadProfile, parseProfile, resolveProfile } from '../profile/load.js';
import { checkTargetUrl, redactTarget } from '../profile/target.js';
import { buildRunPlan } from '../run/plan.js';
import { parseThreshold } from '../threshold/parse.js';
import { totalDurationMs } from '../schedule/phase.js';
import { collect, durationFlag, valueFlag } from './flags.js';
import { BARRIER_TIMEOUT_DEFAULT_MS } from './ramp.js';
import { print } from './terminal.js';

interface K8sOptions {
  segments: number;
  target?: string;
  image?: string;
  namespace?: string;
  name?: string;
  cpu: string;
  memory: string;
  barrierTimeout?: number;
  deadline?: number;
  ttl: number;
  speed?: number;
  seed?: number;
  threshold?: string[];
  /** False with --no-thresholds: the profile's thresholds are dropped. */
  thresholds?: boolean;
  viaProxy?: boolean;
  skipFaults?: boolean;
  keepBodies?: boolean;
  allowLiteralSecrets?: boolean;
  nodeSelector?: string[];
  toleration?: string[];
  affinityLabel?: string[];
}

/** The image the Dockerfile builds, as released: this version's. */
export function defaultImage(): string {
  return `ghcr.io/incident-load/incident-load:${toolVersion()}`;
}

/** Past the run and the barrier: scheduling, pulling the image, the drain and writing the shard. */
const DEADLINE_SLACK_MS = 5 * 60_000;

export function k8sCommand(): Command {
  return new Command('k8s')
    .description('print the Kubernetes manifests that run a profile as an Indexed Job of n pods (one segment each), for kubectl apply -f -')
    .argument('<profile>', 'bundled profile name or path to a .yaml/.json profile: written, as it will run, into the ConfigMap')
    .requiredOption('--segments <n>', 'how many pods (segments) share the load, 1 to 10000', valueFlag('--segments', values.wholeNumber(1, 10_000)))
    .option('-t, --target <url>', 'the service to load (default: the bundled mock, as a Deployment and Service of its own)')
    .option('--image <ref>', `the incident-load image the pods run (default ${defaultImage()}, built by the Dockerfile)`)
    .option('--namespace <ns>', "put every object in this namespace (default: kubectl's current one)")
    .option('--name <name>', "the run's name: the Job's, and the prefix of every object's (default \"incident-load-<profile name>\")")
    .option('--cpu <quantity>', "each pod's CPU, requested (no limit: CFS throttling would show up as send lag)", '1')
    .option('--memory <quantity>', "each pod's memory, requested and limit", '512Mi')
    .option(
      '--barrier-timeout <dur>',
      `how long the pods wait for each other at the start barrier before the run fails naming the missing (default ${formatDuration(BARRIER_TIMEOUT_DEFAULT_MS)})`,
      durationFlag('--barrier-timeout', { positive: true }),
    )
    .option(
      '--deadline <dur>',
      "the Job's activeDeadlineSeconds (default: the profile's wall time + the barrier timeout + 5m)",
      durationFlag('--deadline', { positive: true }),
    )
    .option(
      '--ttl <dur>',
      "the Job's ttlSecondsAfterFinished: how long its pods and their logs stay to be collected (default 1h)",
      durationFlag('--ttl', { positive: true }),
      3_600_000,
    )
    .option('--speed <x>', "set the profile's speed (time compression, bundled mock only)", valueFlag('--speed', values.speed))
    .option('--seed <n>', "set the profile's seed", valueFlag('--seed', values.seed))
    .option('--threshold <expr>', "add a threshold to the profile's (repeatable), judged on the merge by collect", collect(String))
    .option('--no-thresholds', "drop the profile's thresholds: only --threshold rules are judged")
    .option(
      '--via-proxy',
      "each pod sends through the fault-injecting proxy, started by its ramp in front of --target, which applies the faults (as a profile's target: {proxy: true} does)",
    )
    .option('--node-selector <key=value>', 'run the pods only on nodes with this label (repeatable): nodeSelector', collect(String))
    .option(
      '--toleration <key=value:Effect>',
      'let the pods run on nodes with this taint (repeatable; key:Effect for any value), Effect NoSchedule, PreferNoSchedule or NoExecute',
      collect(String),
    )
    .option('--affinity-label <key=value>', 'prefer nodes with this label for the pods (repeatable): a preferred node affinity', collect(String))
    .option('--skip-faults', "the pods run without the profile's faults, on purpose (ramp --skip-faults: the reports say so)")
    .option('--keep-bodies', 'the pods save request bodies in their results as they are (ramp --keep-bodies), not as digests')
    .option(
      '--allow-literal-secrets',
      "write a profile's credentials (a credential header, a password-like body field) into the ConfigMap as they are written; without it they are refused: write them as ${env.NAME}, which k8s puts into the run's Secret",
    )
    .addHelpText(
      'after',
      `
The whole run (docs/kubernetes.md):
  incident-load k8s quickstart --segments 4 --name qs | kubectl apply -f -
  until kubectl get job/qs -o jsonpath='{.status.conditions[?(@.status=="True")].type}' | grep -qE 'Complete|Failed'; do sleep 5; done
  kubectl logs -l ${generatorSelector('qs')} --prefix --tail=-1 --max-log-requests=4 > qs.log
  incident-load collect qs.log --json qs.json        # the merged report; exit 0/1/2/3
  kubectl delete all,configmap,secret -l app.kubernetes.io/instance=qs`,
    )
    .action((ref: string, options: K8sOptions) => {
      print(process.stdout, k8s(ref, options));
    });
}

function k8s(ref: string, options: K8sOptions): string {
  const n = options.segments;
  const profile = loadProfile(ref);
  if (profile.client.tls.caFile !== undefined)
    throw new UsageError(
      `${profile.source}: client.ca names a file (${profile.client.tls.caFile}) the pods would not have: build an image with it, or use --target with a certificate the image trusts`,
    );
  if (options.target !== undefined) {
    try {
      checkTargetUrl(options.target);
    } catch (err) {
      throw new UsageError(`--target: ${(err as Error).message}`);
    }
  }
  // A pod's loopback is the pod itself: such a target would have every generator load itself.
  try {
    const url = options.target ?? profile.target;
    if (url !== 'mock') checkClusterTarget(options.target !== undefined ? '--target' : `${profile.source}: target`, new URL(url));
  } catch (err) {
    if (err instanceof ManifestInputError) throw new UsageError(err.message);
    throw err;
  }
  // Credentials go into the Secret, never the ConfigMap: written literally, they are refused unless told.
  const literal = profile.literalSecrets ?? [];
  if (literal.length > 0 && options.allowLiteralSecrets !== true)
    throw new UsageError(
      `${profile.source}: ${literal.join(', ')}: a credential written in the profile would go into the ConfigMap, which whoever may read ConfigMaps reads: write it as \${env.NAME} (k8s puts the variable's value into the run's Secret and gives it to the pods), or give --allow-literal-secrets`,
    );
  const secretEnv = (profile.env?.names ?? []).map((envName) => {
    if (RESERVED_ENV.test(envName))
      throw new UsageError(`${profile.source}: \${env.${envName}}: ${envName} is the pods' own (or the runtime's): reference another name`);
    return { name: envName, value: process.env[envName] ?? '' };
  });
  // The proxy is kept, never dropped: the pods' ramp starts it in front of the target, or k8s refuses.
  const proxy = options.viaProxy === true || profile.proxy === true;
  const targetUrl = options.target ?? profile.target;
  if (proxy && targetUrl === 'mock')
    throw new UsageError(
      `${options.viaProxy ? '--via-proxy' : `${profile.source}: target: { proxy: true }`} puts the proxy in front of a real service: give its URL with --target (the bundled mock applies its faults itself)`,
    );
  let name: string;
  let run: Omit<RunManifestInput, 'profileYaml'>;
  try {
    name = checkRunName(options.name ?? defaultRunName(profile.name, n), n);
    run = {
      name,
      namespace: options.namespace === undefined ? undefined : checkNamespace(options.namespace),
      segments: n,
      image: checkImage(options.image ?? defaultImage()),
      version: toolVersion(),
      mock: targetUrl === 'mock',
      proxy,
      skipFaults: options.skipFaults === true,
      keepBodies: options.keepBodies === true,
      resources: { cpu: checkQuantity('--cpu', options.cpu), memory: checkQuantity('--memory', options.memory) },
      placement: {
        nodeSelector: Object.fromEntries((options.nodeSelector ?? []).map((l) => parseLabel('--node-selector', l))),
        tolerations: (options.toleration ?? []).map(parseToleration),
        preferred: (options.affinityLabel ?? []).map((l) => parseLabel('--affinity-label', l)),
      },
      barrierTimeoutMs: options.barrierTimeout ?? BARRIER_TIMEOUT_DEFAULT_MS,
      activeDeadlineSeconds: 0,
      ttlSecondsAfterFinished: Math.ceil(options.ttl / 1000),
      tokens: { barrier: newControlToken(), control: newControlToken() },
      secretEnv: [],
    };
  } catch (err) {
    if (err instanceof ManifestInputError) throw new UsageError(err.message);
    throw err;
  }
  // The flags first, in their own words (the generated profile's line numbers would help nobody).
  for (const expr of options.threshold ?? []) {
    try {
      parseThreshold(expr);
    } catch (err) {
      throw new UsageError(`--threshold ${expr}: ${(err as Error).message}`);
    }
  }
  const speedAsRun = options.speed ?? profile.speed;
  if (!run.mock && speedAsRun !== 1)
    throw new UsageError(
      `${options.speed !== undefined ? `--speed ${speedAsRun}` : `${profile.source}: speed: ${speedAsRun}`}: time compression is for the bundled mock only; against ${redactTarget(targetUrl)} every latency would read ${speedAsRun}× its value: run at speed 1 (--speed 1)`,
    );
  const urls = mockUrls(name);
  // A target URL's user and password go into the Secret; the ConfigMap's profile references them.
  const target = run.mock ? urls.traffic : withoutCredentials(options.target ?? profile.target, secretEnv);
  run.secretEnv.push(...secretEnv);
  const aside = run.mock ? [`Its target stays "mock": every pod is given the run's mock Service, --target ${urls.traffic} --control ${urls.control}.`] : [];
  const { path } = resolveProfile(ref);
  const profileYaml = runProfileYaml(
    readFileSync(path, 'utf8'),
    { target: run.mock ? undefined : target, proxy, speed: options.speed, seed: options.seed, thresholds: thresholdsAsRun(profile.thresholds, options) },
    [`The profile of run ${name}, as its ${n} pods run it: written by incident-load ${toolVersion()} k8s from ${profile.source}.`, ...aside],
  );

  // The run as pod 0 would build it: any flag or profile field it would refuse is refused now.
  const label = `the profile as the pods would run it (${profile.source}${options.threshold || options.thresholds === false || options.speed !== undefined || options.seed !== undefined ? ' with the flags' : ''})`;
  let plannedMs: number;
  let speed: number;
  try {
    const vars = { ...process.env, ...Object.fromEntries(run.secretEnv.map((e) => [e.name, e.value])) };
    const asRun = parseProfile(profileYaml, label, basename(path, extname(path)), dirname(resolve(path)), { env: { vars } });
    const plan = buildRunPlan(asRun, {
      segment: { index: 0, count: n },
      ...(run.skipFaults ? { skipFaults: true } : {}),
      ...(run.mock ? { target: urls.traffic, control: { url: urls.control, token: undefined, tokenSource: 'the Secret' } } : {}),
    });
    plannedMs = totalDurationMs(plan.phases);
    speed = plan.speed;
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(err.message.startsWith(label) ? err.message : `${label}: ${err.message}`);
    throw err;
  }
  const deadlineMs = options.deadline ?? plannedMs / speed + run.barrierTimeoutMs + DEADLINE_SLACK_MS;
  const input: RunManifestInput = { ...run, profileYaml, activeDeadlineSeconds: Math.ceil(deadlineMs / 1000) };
  const ns = run.namespace === undefined ? '' : ` -n ${run.namespace}`;
  return manifestsYaml(runManifests(input), [
    `incident-load ${toolVersion()}: ${profile.name} on ${n} pod${n > 1 ? 's' : ''}, run "${name}"${run.mock ? ', against the bundled mock' : ` against ${redactTarget(targetUrl)}`}${proxy ? ' through a proxy in each pod, which applies the faults' : ''}.`,
    'It holds a Secret with tokens made for this run: pipe it to kubectl rather than keeping it.',
    '',
    `  incident-load k8s ... | kubectl apply${ns} -f -`,
    `  until kubectl get${ns} job/${name} -o jsonpath='{.status.conditions[?(@.status=="True")].type}' | grep -qE 'Complete|Failed'; do sleep 5; done`,
    `  kubectl logs${ns} -l ${generatorSelector(name)} --prefix --tail=-1 --max-log-requests=${n} > ${name}.log`,
    `  incident-load collect ${name}.log --json ${name}.json`,
    `  kubectl delete${ns} all,configmap,secret -l app.kubernetes.io/instance=${name}`,
  ]);
}

/** The thresholds the pods run with, as ramp would judge them: the profile's (unless --no-thresholds) and --threshold's; undefined: the profile's as written. */
function thresholdsAsRun(profile: readonly string[], options: K8sOptions): string[] | undefined {
  if (options.threshold === undefined && options.thresholds !== false) return undefined;
  const kept = options.thresholds === false ? [] : profile;
  return [...kept, ...(options.threshold ?? []).filter((expr) => !kept.includes(expr.trim()))];
}

/** Names a profile may not reference in k8s: the container's own variables, and the runtime's. */
const RESERVED_ENV = /^(JOB_COMPLETION_INDEX|NO_COLOR|PATH|HOME|NODE_OPTIONS|NODE_PATH|XDG_RUNTIME_DIR|INCIDENT_LOAD_.*)$/;

/** The target URL's credentials as Secret variables, referenced from the URL (`${env.…}@host`); the URL as is without any. */
function withoutCredentials(target: string, secretEnv: { name: string; value: string }[]): string {
  const url = new URL(target);
  if (url.username === '' && url.password === '') return target;
  secretEnv.push({ name: TARGET_USER_ENV, value: url.username });
  const password = url.password !== '';
  if (password) secretEnv.push({ name: TARGET_PASSWORD_ENV, value: url.password });
  const userinfo = `\${env.${TARGET_USER_ENV}}${password ? `:\${env.${TARGET_PASSWORD_ENV}}` : ''}`;
  return `${url.protocol}//${userinfo}@${url.host}${url.pathname}${url.search}${url.hash}`;
}

const TARGET_USER_ENV = 'INCIDENT_LOAD_TARGET_USER';
const TARGET_PASSWORD_ENV = 'INCIDENT_LOAD_TARGET_PASSWORD';
