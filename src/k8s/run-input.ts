// Everything the manifests of one run are made from, decided and checked by the command (src/cli/k8s.ts):
// the manifest builders only lay it out.
import type { Placement } from './placement.js';

/** The ports inside the pods: the mock's traffic and control, segment 0's barrier. */
export const PORTS = { traffic: 8080, control: 8081, barrier: 7070 } as const;
/** Where the pods find the profile and the tokens. */
export const PATHS = { profileDir: '/profile', profile: '/profile/profile.yaml', tokenDir: '/var/run/incident-load' } as const;
/** The Secret's keys, which are also the file names under PATHS.tokenDir. */
export const TOKEN_KEYS = { barrier: 'barrier-token', control: 'control-token' } as const;
/** The uid and gid the image's user has (node:20-slim's "node"). */
export const RUN_AS = 1000;

export interface RunManifestInput {
  name: string;
  namespace: string | undefined;
  segments: number;
  image: string;
  /** incident-load's version, for the labels. */
  version: string;
  /** The profile as it will run: complete, with the target the pods reach. */
  profileYaml: string;
  /** The bundled mock runs as a Deployment of its own (no --target). */
  mock: boolean;
  /** Each pod's ramp starts the proxy in front of the target, which applies the faults (the profile says `proxy: true`). */
  proxy: boolean;
  /** The pods run without the profile's faults, on purpose (ramp --skip-faults). */
  skipFaults: boolean;
  /** The pods save request bodies as they are (ramp --keep-bodies). */
  keepBodies: boolean;
  /** Requested; memory is also the limit, CPU has none (CFS throttling would show up as send lag). */
  resources: { cpu: string; memory: string };
  /** Where the pods may go: --node-selector, --toleration, --affinity-label. */
  placement: Placement;
  barrierTimeoutMs: number;
  activeDeadlineSeconds: number;
  ttlSecondsAfterFinished: number;
  /** Generated per `incident-load k8s` call: the Secret's values. */
  tokens: { barrier: string; control: string };
  /**
   * What the profile references as `${env.NAME}` (and the target URL's credentials), with the values they
   * had where `k8s` ran: into the Secret (key `env-NAME`), and from it into the generators' environment.
   */
  secretEnv: { name: string; value: string }[];
}

/** The Secret's key of an environment variable the pods are given. */
export function envSecretKey(name: string): string {
  return `env-${name}`;
}
