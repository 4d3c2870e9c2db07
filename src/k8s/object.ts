// What every manifest is: typed by kubernetes-types, written as YAML.
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { ConfigMap, Secret, Service } from 'kubernetes-types/core/v1.js';

export type KubernetesObject = ConfigMap | Secret | Service | Deployment | Job;
