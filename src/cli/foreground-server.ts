// `incident-load mock` and `incident-load proxy` in the foreground: listen (a port in use, not permitted
// or an address not on this machine is bad input, exit 2) and write the control token to the token file
// (removed however this process ends, short of SIGKILL); then run until a signal says stop, logging
// each fault as it is applied and reverted.
import type { FaultEvent } from '../core/fault-injector.js';
import { UsageError } from '../core/errors.js';
import { formatDuration } from '../core/units.js';
import type { ChildService, ServiceAddress } from '../core/service-process.js';
import { checkControlToken, CONTROL_TOKEN_ENV } from '../mock/control-api.js';
import { removeTokenFile, TokenFileError, writeTokenFile } from '../mock/token-file.js';
import { onStopSignal, type StopSignal } from './signals.js';

const LISTEN_PROBLEMS: Record<string, string> = { EADDRINUSE: 'already in use', EACCES: 'permission denied', EADDRNOTAVAIL: 'no such address here' };

/** The control token the environment gives (INCIDENT_LOAD_TOKEN), checked; undefined: generate one. */
export function tokenFromEnv(): string | undefined {
  const token = process.env[CONTROL_TOKEN_ENV] || undefined;
  if (token === undefined) return undefined;
  try {
    checkControlToken(token, CONTROL_TOKEN_ENV);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return token;
}

export async function listenWithTokenFile(server: ChildService): Promise<{ address: ServiceAddress; tokenFile: string; forget: () => void }> {
  let address: ServiceAddress;
  try {
    address = await server.listen();
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
    const problem = e.code === undefined ? undefined : LISTEN_PROBLEMS[e.code];
    if (problem) throw new UsageError(`cannot listen on ${e.address ?? '?'} port ${e.port ?? '?'}: ${problem}`);
    throw err;
  }
  let tokenFile: string;
  try {
    tokenFile = writeTokenFile(Number(new URL(address.controlUrl).port), address.token);
  } catch (err) {
    await server.close();
    if (err instanceof TokenFileError) throw new UsageError(err.message);
    throw err;
  }
  const file = tokenFile;
  /** Removes the token file now (a clean stop); the exit hook then has nothing left to do. */
  const forget = (): void => {
    removeTokenFile(file);
    process.off('exit', forget);
  };
  process.once('exit', forget);
  return { address, tokenFile, forget };
}

/** Resolves on SIGINT, SIGTERM or SIGHUP (the terminal went away); a second one quits at once, exit 130. */
export function stopSignal(): Promise<StopSignal> {
  return new Promise<StopSignal>((resolve) => {
    onStopSignal((received, count) => {
      if (count > 1) process.exit(130);
      resolve(received);
    });
  });
}

/** `at 1m30s  fault 2 shrink-fleet workers=4 for=30s applied` */
export function faultLine(event: FaultEvent): string {
  const { record } = event;
  const params = Object.entries(event.input)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const at = event.kind === 'applied' ? record.at : (record.reverted ?? record.at);
  const what = event.kind === 'applied' ? `applied${record.until !== undefined ? ` (until ${formatDuration(record.until)})` : ''}` : 'reverted';
  return `at ${formatDuration(at).padEnd(7)} fault ${record.id} ${record.fault}${params ? ` ${params}` : ''} ${what}`;
}
