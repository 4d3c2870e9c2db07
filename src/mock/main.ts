// Entry of the mock's child process (see launch.ts). argv[2] is JSON {config, speed, seed, host, port,
// controlPort}. Prints one JSON line {url, controlUrl, token} when both ports listen, then nothing more:
// the token goes to the parent through this pipe, never through argv, which any local user can read in
// /proc/<pid>/cmdline. A token the parent chose comes in the environment (private to the user). Exits
// when stdin closes (the parent is gone: no orphans), on SIGTERM/SIGINT, and with code 1 and a message
// on stderr if it cannot start.
import { checkMockConfig } from './config/index.js';
import { CONTROL_TOKEN_ENV } from './control-api.js';
import { createMock } from './mock.js';
import { serveAsChild } from '../core/service-process.js';

interface ChildOptions {
  config: unknown;
  speed?: number;
  seed?: number;
  host?: string;
  port?: number;
  controlPort?: number;
}

serveAsChild(() => {
  const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
  return createMock(checkMockConfig(options.config), {
    speed: options.speed,
    seed: options.seed,
    host: options.host,
    port: options.port,
    controlPort: options.controlPort,
    token: process.env[CONTROL_TOKEN_ENV] || undefined,
  });
});
