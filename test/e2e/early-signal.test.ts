// A stop signal in Node's first moments (audit 2026-12-07, 6.2): until a handler is installed, SIGINT
// kills Node without a word. The launcher installs one as its first statement, before it imports anything;
// what is left before it is Node's own start-up (measured in docs/commands.md, not here: a race is no
// test). Asserted instead what is deterministic: the order of the launcher's statements, and that a
// signal sent while dist/cli/main.js is only being loaded (from a loader hook, at that moment and no
// other) gets the CLI's answer: exit 130 with a message.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, type CliResult } from '../support/cli.js';

describe('a stop signal before the CLI is loaded', () => {
  it('the launcher installs its stop handlers before anything else, and imports nothing statically', () => {
    const code = readFileSync(BIN, 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(\/\/|#!)/.test(line))
      .join('\n');
    // A static import is loaded before any statement of the module runs: there must be none.
    expect(code).not.toMatch(/^\s*import\s/m);
    expect(code.slice(0, code.indexOf('import('))).toMatch(/\['SIGINT', 'SIGTERM', 'SIGHUP'\]\) process\.on\(signal, /);
    // The first statement is the handler's definition, the second installs it.
    expect(code.trimStart()).toMatch(/^const early = /);
    // CommonJS, as bin/package.json says: Node runs its first line without setting up an ES module loader first.
    expect(JSON.parse(readFileSync(join(dirname(BIN), 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s while dist/cli/main.js is being loaded: exit 130 with a message, not killed silently',
    async (signal) => {
      const res = await signalWhileLoadingMain(signal);
      expect(res.signal, res.stderr).toBeNull();
      expect(res.code, res.stderr).toBe(130);
      expect(res.stderr).toContain(`incident-load: ${signal} before anything was measured: stopped`);
    },
  );
});

/**
 * The launcher run with a loader hook that, when dist/cli/main.js is loaded, puts in its place a module
 * that sends `signal` to its own process and waits: the signal arrives after the launcher's first
 * statements and before any of the CLI's code, every time.
 */
function signalWhileLoadingMain(signal: NodeJS.Signals): Promise<CliResult> {
  const hooks = `export async function load(url, context, next) {
    if (url.endsWith('/dist/cli/main.js'))
      return { format: 'module', shortCircuit: true, source: "process.kill(process.pid, '${signal}'); setTimeout(() => process.exit(0), 10000);" };
    return next(url, context);
  }`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, BIN, 'validate', 'smoke'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(killer);
      resolve({ code, signal: sig, stdout, stderr });
    });
  });
}
