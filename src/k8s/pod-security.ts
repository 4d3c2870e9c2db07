// What every pod of a run runs as: the image's non-root user, no privilege escalation, no capabilities, a
// read-only root filesystem (with an emptyDir /tmp), the runtime's seccomp profile, and no Kubernetes API
// access at all: nothing here needs RBAC, so no service-account token is mounted.
import type { PodSecurityContext, SecurityContext, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';
import { RUN_AS, type RunManifestInput } from './run-input.js';

export const POD_SECURITY: PodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: RUN_AS,
  runAsGroup: RUN_AS,
  // The Secret's files are mode 0440, group RUN_AS: readable by the container's user, nobody else.
  fsGroup: RUN_AS,
  seccompProfile: { type: 'RuntimeDefault' },
};

export const CONTAINER_SECURITY: SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

export const TMP_VOLUME: Volume = { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } };
export const TMP_MOUNT: VolumeMount = { name: 'tmp', mountPath: '/tmp' };

/**
 * CPU and memory requested, so that the scheduler gives each pod its share; memory limited too (a leak
 * ends in an OOM kill the Job reports), but no CPU limit: the CFS quota throttles a container that uses
 * its limit within a 100 ms period, and a throttled generator sends late — it would show up as send lag,
 * blamed on the generator rather than the quota (docs/kubernetes.md).
 */
export function podResources(run: Pick<RunManifestInput, 'resources'>): { requests: { cpu: string; memory: string }; limits: { memory: string } } {
  return { requests: { ...run.resources }, limits: { memory: run.resources.memory } };
}
