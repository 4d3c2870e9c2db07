// The bundled mock as a service of its own: a Deployment of one replica (one simulated system that every
// segment loads; n mocks would be n systems) and a Service in front of its two ports. Its settings, speed
// and seed come from the same profile as the segments'. It listens on 0.0.0.0 (the segments are other
// pods), so its control API takes any client that carries the run's control token, from the Secret.
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Service } from 'kubernetes-types/core/v1.js';
import { CONTROL_TOKEN_ENV } from '../mock/control-api.js';
import { metadata } from './config.js';
import { labels, selector } from './labels.js';
import { objectNames } from './names.js';
import { placementSpec } from './placement.js';
import { CONTAINER_SECURITY, POD_SECURITY, podResources, TMP_MOUNT, TMP_VOLUME } from './pod-security.js';
import { PATHS, PORTS, TOKEN_KEYS, type RunManifestInput } from './run-input.js';

/** What the mock's pod runs: `incident-load mock` on the profile, on every interface, at fixed ports. */
export function mockArgs(): string[] {
  return ['mock', PATHS.profile, '--host', '0.0.0.0', '--port', String(PORTS.traffic), '--control-port', String(PORTS.control)];
}

export function mockDeployment(run: RunManifestInput): Deployment {
  const names = objectNames(run.name);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(run, names.mock, 'mock'),
    spec: {
      replicas: 1,
      // Never two mocks at once, even while one is replaced.
      strategy: { type: 'Recreate' },
      selector: { matchLabels: selector(run, 'mock') },
      template: {
        metadata: { labels: labels(run, 'mock') },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: POD_SECURITY,
          ...placementSpec(run.placement),
          containers: [
            {
              name: 'mock',
              image: run.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['incident-load'],
              args: mockArgs(),
              env: [
                { name: CONTROL_TOKEN_ENV, valueFrom: { secretKeyRef: { name: names.tokens, key: TOKEN_KEYS.control } } },
                // `incident-load mock` leaves its token file under $XDG_RUNTIME_DIR: the writable /tmp here.
                { name: 'XDG_RUNTIME_DIR', value: '/tmp' },
                { name: 'NO_COLOR', value: '1' },
              ],
              ports: [
                { name: 'traffic', containerPort: PORTS.traffic },
                { name: 'control', containerPort: PORTS.control },
              ],
              readinessProbe: { tcpSocket: { port: 'traffic' }, periodSeconds: 2 },
              resources: podResources(run),
              securityContext: CONTAINER_SECURITY,
              volumeMounts: [{ name: 'profile', mountPath: PATHS.profileDir, readOnly: true }, TMP_MOUNT],
            },
          ],
          volumes: [{ name: 'profile', configMap: { name: names.profile } }, TMP_VOLUME],
        },
      },
    },
  };
}

export function mockService(run: RunManifestInput): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(run, objectNames(run.name).mock, 'mock'),
    spec: {
      type: 'ClusterIP',
      selector: selector(run, 'mock'),
      ports: [
        { name: 'traffic', port: PORTS.traffic, targetPort: 'traffic' },
        { name: 'control', port: PORTS.control, targetPort: 'control' },
      ],
    },
  };
}

/** The URLs the segments use for the mock: its Service's name, resolved in the run's namespace. */
export function mockUrls(name: string): { traffic: string; control: string } {
  const host = objectNames(name).mock;
  return { traffic: `http://${host}:${PORTS.traffic}`, control: `http://${host}:${PORTS.control}` };
}
