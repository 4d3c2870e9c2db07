// The rule every listener follows, loopback (the default) and opened to the network on purpose (a pod's
// 0.0.0.0): the second takes any client address and Host, never a web page's Origin, never a request
// without the token.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listenAddress, refusal, type GuardPolicy } from '../../src/core/listener-guard.js';

const TOKEN = 'listener-token-0123456789';
const policy = (remote: boolean): GuardPolicy => ({ token: TOKEN, remote, what: 'the start barrier', tokenHint: 'the token', realm: 'test' });

function request(remoteAddress: string, headers: Record<string, string>, method = 'POST'): IncomingMessage {
  return { socket: { remoteAddress, localPort: 7070 }, headers, method } as unknown as IncomingMessage;
}

const good = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

describe('listener guard', () => {
  it('loopback: refuses another machine and a Service name as Host', () => {
    expect(refusal(request('10.1.2.3', { ...good, host: '127.0.0.1:7070' }), policy(false))).toMatchObject({ status: 403 });
    expect(refusal(request('127.0.0.1', { ...good, host: 'run-0.run:7070' }), policy(false))).toMatchObject({ status: 403 });
    expect(refusal(request('127.0.0.1', { ...good, host: '127.0.0.1:7070' }), policy(false))).toBeUndefined();
  });

  it('opened to the network: another pod, by Service name, with the token', () => {
    expect(refusal(request('10.1.2.3', { ...good, host: 'run-0.run:7070' }), policy(true))).toBeUndefined();
  });

  it('opened to the network: still no token, no entry; still no web page; still JSON only', () => {
    expect(refusal(request('10.1.2.3', { host: 'run-0.run:7070', 'content-type': 'application/json' }), policy(true))).toMatchObject({ status: 401 });
    expect(refusal(request('10.1.2.3', { ...good, 'content-type': 'text/plain' }), policy(true))).toMatchObject({ status: 415 });
    expect(refusal(request('10.1.2.3', { ...good, origin: 'https://evil.example' }), policy(true))).toMatchObject({ status: 403 });
  });

  it('writes: a POST needs JSON; a DELETE may carry no Content-Type at all (a browser preflights every DELETE), but not another one', () => {
    const token = { authorization: `Bearer ${TOKEN}`, host: '127.0.0.1:7070' };
    expect(refusal(request('127.0.0.1', token, 'POST'), policy(false))).toMatchObject({ status: 415 });
    expect(refusal(request('127.0.0.1', token, 'DELETE'), policy(false))).toBeUndefined();
    expect(refusal(request('127.0.0.1', { ...token, 'content-type': 'application/json' }, 'DELETE'), policy(false))).toBeUndefined();
    expect(refusal(request('127.0.0.1', { ...token, 'content-type': 'text/plain' }, 'DELETE'), policy(false))).toMatchObject({ status: 415 });
    expect(refusal(request('127.0.0.1', { host: '127.0.0.1:7070' }, 'DELETE'), policy(false))).toMatchObject({ status: 401 });
    expect(refusal(request('127.0.0.1', { ...token, origin: 'https://evil.example' }, 'DELETE'), policy(false))).toMatchObject({ status: 403 });
  });

  it('listens on loopback unless told an address, which must be an IP', () => {
    expect(listenAddress(undefined)).toEqual({ host: '127.0.0.1', remote: false });
    expect(listenAddress('localhost')).toEqual({ host: '127.0.0.1', remote: false });
    expect(listenAddress('::1')).toEqual({ host: '::1', remote: false });
    expect(listenAddress('0.0.0.0')).toEqual({ host: '0.0.0.0', remote: true });
    expect(() => listenAddress('my-pod')).toThrow(/expected an IP address/);
  });
});
