// The generators: an Indexed Job of n pods, pod i running segment i of n of the profile. One attempt per
// segment: a failed pod fails the Job at once (podFailurePolicy FailJob, backoffLimit 0) rather than being
// retried, because a retried segment would replay its share of the load late, beside the others. Spread
// across nodes where it can be, bounded in time (activeDeadlineSeconds), removed a while after it ends
// (ttlSecondsAfterFinished) — after its logs, which carry the shards, have been read.
import type { Job } from 'kubernetes-types/batch/v1.js';
import { formatDuration } from '../core/units.js';
import { barrierAddress } from './barrier-service.js';
import { metadata } from './config.js';
import { labels, selector } from './labels.js';
import { mockUrls } from './mock.js';
import { objectNames } from './names.js';
import { placementSpec } from './placement.js';
import { CONTAINER_SECURITY, POD_SECURITY, podResources, TMP_MOUNT, TMP_VOLUME } from './pod-security.js';
import { envSecretKey, PATHS, PORTS, TOKEN_KEYS, type RunManifestInput } from './run-input.js';

export const CONTAINER = 'incident-load';
/** Set by the Job controller on each pod; declared here from the pod's annotation so `$(…)` in args expands on any version. */
export const INDEX_ENV = 'JOB_COMPLETION_INDEX';

/** What pod i runs: its segment from $(JOB_COMPLETION_INDEX), which the kubelet expands from the container's env. */
export function generatorArgs(run: RunManifestInput): string[] {
  const tokenFile = (key: string): string => `${PATHS.tokenDir}/${key}`;
  const args = [
    'ramp',
    PATHS.profile,
    '--segment',
    `$(${INDEX_ENV})/${run.segments}`,
    '--barrier',
    barrierAddress(run.name),
    '--barrier-host',
    '0.0.0.0',
    '--barrier-token-file',
    tokenFile(TOKEN_KEYS.barrier),
    '--barrier-timeout',
    formatDuration(run.barrierTimeoutMs),
  ];
  if (run.mock) {
    const urls = mockUrls(run.name);
    args.push('--target', urls.traffic, '--control', urls.control, '--token-file', tokenFile(TOKEN_KEYS.control));
  }
  if (run.skipFaults) args.push('--skip-faults');
  if (run.keepBodies) args.push('--keep-bodies');
  args.push('--shard-stdout', '--no-progress');
  return args;
}

export function generatorJob(run: RunManifestInput): Job {
  const names = objectNames(run.name);
  const n = run.segments;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(run, names.job, 'generator'),
    spec: {
      completionMode: 'Indexed',
      completions: n,
      parallelism: n,
      backoffLimit: 0,
      podFailurePolicy: {
        rules: [
          { action: 'FailJob', onExitCodes: { containerName: CONTAINER, operator: 'NotIn', values: [0] } },
          // Evicted or preempted: the segment cannot be replayed in time either.
          { action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        ],
      },
      activeDeadlineSeconds: run.activeDeadlineSeconds,
      ttlSecondsAfterFinished: run.ttlSecondsAfterFinished,
      template: {
        metadata: { labels: labels(run, 'generator') },
        spec: {
          restartPolicy: 'Never',
          // With the Indexed Job's hostname <job>-<index>: the DNS name <job>-0.<service> of segment 0.
          subdomain: names.barrierService,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: POD_SECURITY,
          ...placementSpec(run.placement),
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              // Spread where the nodes allow; on a smaller cluster the run still starts.
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selector(run, 'generator') },
            },
          ],
          containers: [
            {
              name: CONTAINER,
              image: run.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['incident-load'],
              args: generatorArgs(run),
              env: [
                { name: INDEX_ENV, valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
                { name: 'NO_COLOR', value: '1' },
                // The profile's ${env.NAME}, from the Secret.
                ...run.secretEnv.map((e) => ({ name: e.name, valueFrom: { secretKeyRef: { name: names.tokens, key: envSecretKey(e.name) } } })),
              ],
              ports: [{ name: 'barrier', containerPort: PORTS.barrier }],
              resources: podResources(run),
              securityContext: CONTAINER_SECURITY,
              volumeMounts: [
                { name: 'profile', mountPath: PATHS.profileDir, readOnly: true },
                { name: 'tokens', mountPath: PATHS.tokenDir, readOnly: true },
                TMP_MOUNT,
              ],
            },
          ],
          volumes: [
            { name: 'profile', configMap: { name: names.profile } },
            { name: 'tokens', secret: { secretName: names.tokens, defaultMode: 0o440 } },
            TMP_VOLUME,
          ],
        },
      },
    },
  };
}
