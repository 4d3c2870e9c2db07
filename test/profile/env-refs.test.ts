// `${env.NAME}` in profiles (issue 20): resolved from the environment where requests are made (target,
// paths, header values, bodies), a missing variable is bad input naming it, a value no header could carry is
// refused without being quoted, and credentials written literally are found for k8s to refuse.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { literalSecrets, maskSecrets, resolveEnvRefs } from '../../src/profile/env-refs.js';
import { parseProfile } from '../../src/profile/load.js';

const PROFILE = `
target: "https://\${env.HOST}/api?key=\${env.API_KEY}"
phases: ["a:1s:1"]
request:
  path: /v1/\${env.TENANT}
  headers: { Authorization: "Bearer \${env.TOKEN}", x-team: load }
  body: '{"user": "u", "password": "\${env.PASSWORD}"}'
  mix:
    - { name: a, share: 1, headers: { x-api-key: "\${env.API_KEY}" }, body: "\${env.PASSWORD}" }
`;
const VARS = { HOST: 'staging.example', API_KEY: 'k-123456', TENANT: 't42', TOKEN: 'tok-abcdef', PASSWORD: 'pw-secret' };

describe('${env.NAME} in a profile', () => {
  it('resolves every reference where requests are made, and remembers the names and the values to mask', () => {
    const p = parseProfile(PROFILE, 'x.yaml', 'x', process.cwd(), { env: { vars: VARS } });
    expect(p.target).toBe('https://staging.example/api?key=k-123456');
    expect(p.request.path).toBe('/v1/t42');
    expect(p.request.headers).toEqual({ authorization: 'Bearer tok-abcdef', 'x-team': 'load' });
    expect(p.request.body).toBe('{"user": "u", "password": "pw-secret"}');
    expect(p.request.mix![0]).toMatchObject({ headers: { 'x-api-key': 'k-123456' }, body: 'pw-secret' });
    expect(p.env!.names).toEqual(['HOST', 'API_KEY', 'TENANT', 'PASSWORD', 'TOKEN']);
    // "t42" is too short to mask without masking common text.
    expect(p.env!.values.sort()).toEqual(['k-123456', 'pw-secret', 'staging.example', 'tok-abcdef']);
    expect(p.literalSecrets).toEqual([]);
  });

  it('a variable not set is exit 2 naming the field and the variable', () => {
    const { TOKEN: _, ...rest } = VARS;
    const err = (() => {
      try {
        parseProfile(PROFILE, 'x.yaml', 'x', process.cwd(), { env: { vars: rest } });
      } catch (e) {
        return e as Error;
      }
      throw new Error('not refused');
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe('x.yaml: request.headers.Authorization: ${env.TOKEN}: the environment variable TOKEN is not set');
  });

  it('a malformed reference, or a value with a line break in a header, is refused without quoting the value', () => {
    expect(() => resolveEnvRefs({ request: { headers: { a: '${env.1X}' } } }, 'x.yaml', { vars: {} })).toThrow(
      /x\.yaml: request\.headers\.a: expected \$\{env\.NAME\} with NAME of letters, digits and "_"/,
    );
    const raw = { request: { headers: { a: 'x ${env.T}' } } };
    expect(() => resolveEnvRefs(raw, 'x.yaml', { vars: { T: 'evil\r\ninjected: 1' } })).toThrow(/the value of T holds a line break/);
    try {
      resolveEnvRefs({ request: { headers: { a: '${env.T}' } } }, 'x.yaml', { vars: { T: 'evil\ninjected' } });
    } catch (e) {
      expect((e as Error).message).not.toContain('injected');
    }
    // A body may hold line breaks.
    expect(resolveEnvRefs({ request: { body: '${env.T}' } }, 'x.yaml', { vars: { T: 'a\nb' } }).names).toEqual(['T']);
  });

  it('a placeholder stands in when nothing runs (validate, mock), so the variables need not be set', () => {
    const p = parseProfile(PROFILE, 'x.yaml', 'x', process.cwd(), { env: 'placeholder' });
    expect(p.env!.names).toHaveLength(5);
    expect(p.env!.values).toEqual([]);
    // A URL gets a stand-in that parses; the rest is shown with its references.
    expect(p.target).toBe('https://env-placeholder/api?key=env-placeholder');
    expect(p.request.headers.authorization).toBe('Bearer ${env.TOKEN}');
    expect(p.request.path).toBe('/v1/${env.TENANT}');
  });

  it('finds credentials written literally: a credential header, a password-like body field (JSON or form)', () => {
    expect(
      literalSecrets({
        request: {
          headers: { Authorization: 'Bearer abc', Cookie: 'sid=1', 'X-Api-Key': 'k', 'Proxy-Authorization': 'Basic x', 'x-team': 'load' },
          body: '{"user":"u","password":"hunter2"}',
          mix: [{ body: 'user=u&passwd=hunter2' }, { headers: { authorization: 'Bearer ${env.T}' }, body: '{"password":"${env.P}"}' }],
        },
      }),
    ).toEqual([
      'request.headers.Authorization',
      'request.headers.Cookie',
      'request.headers.X-Api-Key',
      'request.headers.Proxy-Authorization',
      'request.body (a password-like field)',
      'request.mix[0].body (a password-like field)',
    ]);
  });

  it('masks every value, the longest first', () => {
    expect(maskSecrets('a tok-abcdef b tok-abc', ['tok-abc', 'tok-abcdef'])).toBe('a *** b ***');
  });
});
