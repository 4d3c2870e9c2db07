import { describe, expect, it } from 'vitest';
import { errorKind, errorOutcome, isRetryable, retryAfterWallMs, statusOutcome } from '../../src/dispatch/outcome.js';

const withCode = (code: string, message = 'x', name = 'Error', cause?: Error): Error =>
  Object.assign(new Error(message, cause ? { cause } : undefined), { code, name });

describe('error kinds', () => {
  it('names what an SRE greps for', () => {
    expect(errorKind(withCode('ECONNREFUSED'))).toBe('ECONNREFUSED');
    expect(errorKind(withCode('UND_ERR_SOCKET', 'other side closed'))).toBe('socket-closed');
    expect(errorKind(withCode('UND_ERR_SOCKET', 'read ECONNRESET', 'SocketError', withCode('ECONNRESET')))).toBe('ECONNRESET');
    expect(errorKind(withCode('UND_ERR_CONNECT_TIMEOUT'))).toBe('connect-timeout');
    expect(errorKind(withCode('UND_ERR_HEADERS_TIMEOUT'))).toBe('timeout');
    expect(errorKind(Object.assign(new Error('Response does not match the HTTP/1.1 protocol'), { name: 'HTTPParserError' }))).toBe('bad-response');
    expect(errorKind(withCode('HPE_INVALID_CHUNK_SIZE'))).toBe('HPE_INVALID_CHUNK_SIZE');
    expect(errorKind('not an error')).toBe('unknown');
  });

  it('retries overload and gateway statuses, and every error (no answer came), only', () => {
    for (const status of [429, 500, 502, 503, 504]) expect(isRetryable(statusOutcome(status)), String(status)).toBe(true);
    for (const status of [200, 301, 400, 404, 501]) expect(isRetryable(statusOutcome(status)), String(status)).toBe(false);
    expect(isRetryable(errorOutcome('ECONNRESET'))).toBe(true);
  });

  it('outcomes are shared values: the same status or error kind is the same object', () => {
    expect(statusOutcome(503)).toBe(statusOutcome(503));
    expect(errorOutcome('timeout')).toBe(errorOutcome('timeout'));
    expect(statusOutcome(200)).toEqual({ kind: 'status', status: 200 });
  });
});

describe('Retry-After', () => {
  const headers = (value: string): Buffer[] => [Buffer.from('Content-Type'), Buffer.from('text/plain'), Buffer.from('Retry-After'), Buffer.from(value)];

  it('reads delta-seconds as incident time, divided by the speed', () => {
    expect(retryAfterWallMs(headers('30'), 1)).toBe(30_000);
    expect(retryAfterWallMs(headers('30'), 60)).toBe(500);
    expect(retryAfterWallMs(headers('1.5'), 1)).toBe(1_500);
  });

  it('reads an HTTP-date as wall-clock time, and ignores what it cannot read', () => {
    const inTwoSeconds = new Date(Date.now() + 2_000).toUTCString();
    const ms = retryAfterWallMs(headers(inTwoSeconds), 60);
    expect(ms).toBeGreaterThan(900);
    expect(ms).toBeLessThanOrEqual(2_000);
    expect(retryAfterWallMs(headers('soon'), 1)).toBe(-1);
    expect(retryAfterWallMs([Buffer.from('x'), Buffer.from('y')], 1)).toBe(-1);
    expect(retryAfterWallMs(null, 1)).toBe(-1);
  });
});
