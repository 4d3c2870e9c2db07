// Who may use the control API: the rule every listener of incident-load follows (core/listener-guard.ts),
// with this mock's token. Loopback clients naming a loopback Host only, unless the mock was told to listen
// on the network (`incident-load mock --host 0.0.0.0`, in a pod); a web page never; the token always.
import type { IncomingMessage } from 'node:http';
import { refusal as guardRefusal, type Refusal } from '../core/listener-guard.js';

export type { Refusal };

export function refusal(req: IncomingMessage, token: string, remote = false): Refusal | undefined {
  return guardRefusal(req, {
    token,
    remote,
    what: 'the control API',
    tokenHint: "this mock's token (incident-load mock writes it to the token file it prints)",
    realm: 'incident-load mock',
  });
}
