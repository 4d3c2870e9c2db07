// A running mock's (or proxy's) control API as a command names it: --control <url>, and its token from
// --token, the environment, --token-file or the file `incident-load mock` (or `proxy`) wrote for that port. Shared by `fault` and by
// `ramp --control` (a run against a mock started on its own).
import { UsageError } from '../core/errors.js';
import { CONTROL_TOKEN_ENV } from '../mock/control-api.js';
import { readTokenFile, TokenFileError, tokenFilePath } from '../mock/token-file.js';
import type { ControlError } from '../run/control-client.js';

export interface TokenOptions {
  token?: string;
  tokenFile?: string;
}

/** Where the token came from, for the message when the mock does not take it. */
export interface FoundToken {
  token: string | undefined;
  source: string;
}

/** As long as ramp waits for a mock it drives (run/mock-companion.ts): a live mock can be that slow. */
export const CONTROL_TIMEOUT_MS = 15_000;

export const TOKEN_HELP = `the mock's (or proxy's) control token (visible to other users in the process list; default: $${CONTROL_TOKEN_ENV}, then --token-file, then the token file \`incident-load mock\` or \`proxy\` wrote for that port)`;
export const TOKEN_FILE_HELP = 'read the control token from this file';

/** What went wrong talking to a control API, as the user can act on it. */
export function explainControlError(err: ControlError, control: string, found: FoundToken): string {
  switch (err.problem) {
    case 'refused':
      return `the ${err.program}'s control API at ${control} refused the request: ${err.detail}`;
    case 'unreachable':
      return `cannot reach the mock's control API at ${control}: ${err.detail} (is \`incident-load mock\` running, and is this its control URL?)`;
    case 'timeout':
      return `the mock's control API at ${control} did not answer within ${CONTROL_TIMEOUT_MS / 1000} s (is the mock stopped or overloaded?)`;
    case 'not-control-api':
      return `${control} did not answer as an incident-load control API (it ${err.detail}): give the control URL that \`incident-load mock\` printed on its "control" line, not its traffic URL`;
    case 'unauthorized':
      return found.token === undefined
        ? `the ${err.program}'s control API at ${control} needs its token, and none was found: give --token, set ${CONTROL_TOKEN_ENV} or give --token-file (${found.source})`
        : `the ${err.program}'s control API at ${control} did not accept the token from ${found.source}: is that file or value this ${err.program}'s?`;
    case 'failed':
      return `the ${err.program}'s control API at ${control} answered ${err.status}: ${err.detail}`;
  }
}

/** The --control URL, checked. */
export function controlUrl(control: string): URL {
  let url: URL;
  try {
    url = new URL(control);
  } catch {
    throw new UsageError(`--control: expected the mock's control URL such as http://127.0.0.1:41235, got ${JSON.stringify(control)}`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`--control: the mock's control API speaks plain http, got ${JSON.stringify(control)}`);
  return url;
}

/** --token, then the environment, then --token-file, then the file `incident-load mock` wrote for that port. */
export function findToken(options: TokenOptions, control: URL): FoundToken {
  if (options.token !== undefined) return { token: options.token, source: '--token' };
  const env = process.env[CONTROL_TOKEN_ENV];
  if (env) return { token: env, source: `$${CONTROL_TOKEN_ENV}` };
  try {
    if (options.tokenFile !== undefined) return { token: readTokenFile(options.tokenFile), source: `--token-file ${options.tokenFile}` };
  } catch (err) {
    if (err instanceof TokenFileError) throw new UsageError(`--token-file: ${err.message}`);
    throw err;
  }
  const path = tokenFilePath(Number(control.port || 80));
  try {
    return { token: readTokenFile(path), source: path };
  } catch {
    return { token: undefined, source: `no token file at ${path}: was the mock started by another user, or with another control port?` };
  }
}
