// Who may use a control API (the mock's, and the proxy's: src/proxy/ shares this guard): the rule every
// listener of incident-load follows (core/listener-guard.ts), with the program's token. Loopback clients
// naming a loopback Host only, unless the program was told to listen on the network (`incident-load mock
// --host 0.0.0.0`, in a pod); a web page never; the token always; writes as application/json only.
import type { IncomingMessage } from 'node:http';
import { refusal as guardRefusal, type Refusal } from '../core/listener-guard.js';

export type { Refusal };

/** Whose control API this is, for the messages: `incident-load mock` or `incident-load proxy`. */
export type ControlledProgram = 'mock' | 'proxy';

export function refusal(req: IncomingMessage, token: string, program: ControlledProgram = 'mock', remote = false): Refusal | undefined {
  return guardRefusal(req, {
    token,
    remote,
    what: 'the control API',
    tokenHint: `this ${program}'s token (incident-load ${program} writes it to the token file it prints)`,
    realm: `incident-load ${program}`,
  });
}
