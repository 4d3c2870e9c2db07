// The control API's contract, shared by the mock that serves it and the clients that call it (ramp's
// companion, `incident-load fault`): the header that tells the API from any other server, and its secret,
// a random token per mock or one given (for orchestrated setups, where whoever starts the mock also drives
// it). Whoever holds the token may change the mock; nobody else can, be it a web page, another local user,
// or a process that only sees the world-readable /proc/<pid>/cmdline.
import { randomBytes } from 'node:crypto';

/** The header every control answer carries: what tells this API from another server at the URL. */
export const CONTROL_API_HEADER = 'incident-load-control';

/** Which program answers (`mock` or `proxy`), so a client's messages can name it. */
export const CONTROL_PROGRAM_HEADER = 'incident-load-program';

/** The environment variable that gives a mock its token (and gives `incident-load fault` one to send). */
export const CONTROL_TOKEN_ENV = 'INCIDENT_LOAD_CONTROL_TOKEN';

/** RFC 6750's token68: what fits after "Bearer " without quoting. */
const TOKEN_SYNTAX = /^[A-Za-z0-9._~+/-]+=*$/;
const MIN_LENGTH = 16;

/** 32 random bytes, base64url: 43 characters. */
export function newControlToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The token as given, or an Error saying what is wrong with it (never echoing it: it is a secret). */
export function checkControlToken(token: string, from: string): string {
  if (token.length < MIN_LENGTH) throw new Error(`${from}: the control token must be at least ${MIN_LENGTH} characters, got ${token.length}`);
  if (!TOKEN_SYNTAX.test(token)) throw new Error(`${from}: the control token may hold only letters, digits and . _ ~ + / - (then = padding)`);
  return token;
}

/**
 * The environment for a child that serves a control API (the mock, the proxy): this process's, with the
 * token given here, or none (the child then draws its own). The token never goes in argv, which is
 * world-readable, and one of the caller's own in the environment does not reach the child unless given.
 */
export function childEnvWithToken(token: string | undefined, from: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env[CONTROL_TOKEN_ENV];
  if (token !== undefined) env[CONTROL_TOKEN_ENV] = checkControlToken(token, from);
  return env;
}

/** Whether an Authorization header carries this token (in constant time): the rule every listener shares. */
export { carriesToken } from '../core/listener-guard.js';
