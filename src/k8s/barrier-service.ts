// The Job's headless Service: it gives each generator pod a DNS name, <job>-<index>.<service> (the pods'
// hostname and subdomain), so that the other segments reach segment 0's start barrier by name, with no
// Kubernetes API access and so no RBAC. Not-ready addresses are published: a pod is reachable as soon as
// it has an address, and the pods have no readiness to wait for.
import type { Service } from 'kubernetes-types/core/v1.js';
import { metadata } from './config.js';
import { selector } from './labels.js';
import { objectNames } from './names.js';
import { PORTS, type RunManifestInput } from './run-input.js';

export function barrierService(run: RunManifestInput): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(run, objectNames(run.name).barrierService, 'barrier'),
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: selector(run, 'generator'),
      ports: [{ name: 'barrier', port: PORTS.barrier, targetPort: 'barrier' }],
    },
  };
}

/** host:port of segment 0's barrier, as the other pods reach it. */
export function barrierAddress(name: string): string {
  const names = objectNames(name);
  return `${names.job}-0.${names.barrierService}:${PORTS.barrier}`;
}
