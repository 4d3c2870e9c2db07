// Start-up loads only what the command needs (issue 22: every end-to-end test starts the CLI): a command
// loads its own file, not the eleven others; --version loads none; a command refused for bad input, a
// validation and a --help never load the run engine, undici or the HTML reporters. Asserted on the list of
// modules the built CLI loads (recorded by a loader hook), never on how long it took.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandsFor } from '../../src/cli/program.js';
import { BIN } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'incident-load-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the built CLI with `args`; resolves to its exit code and every module it loaded (ours from dist/, and packages by name). */
function loadedBy(...args: string[]): { code: number | null; stderr: string; modules: string[] } {
  const list = join(dir, `${args.join(' ').replace(/\W+/g, '_')}.txt`);
  const hooks = `import { appendFileSync } from 'node:fs';
    export async function load(url, context, next) { appendFileSync(${JSON.stringify(list)}, url + '\\n'); return next(url, context); }`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 20_000,
  });
  const modules = readFileSync(list, 'utf8')
    .split('\n')
    .map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? /\/(dist\/.+)$/.exec(url)?.[1])
    .filter((name) => name !== undefined);
  return { code: run.status, stderr: run.stderr, modules: [...new Set(modules)] };
}

/** What only a run needs: the engine, the transports, the HTML reports. */
const RUN_ONLY = [/^undici$/, /^dist\/run\/(start-run|virtual-run)\.js$/, /^dist\/run\/engine\//, /^dist\/dispatch\//, /^dist\/report\/html\//];
const runOnly = (modules: string[]): string[] => modules.filter((m) => RUN_ONLY.some((re) => re.test(m)));
const commandFiles = (modules: string[]): string[] =>
  Object.keys(COMMANDS)
    .map((name) => `dist/cli/${name}.js`)
    .filter((file) => modules.includes(file));

describe('start-up loads what the command needs', () => {
  it('--version: no command, no run engine', () => {
    const { code, modules } = loadedBy('--version');
    expect(code).toBe(0);
    expect(modules).toContain('commander');
    expect(commandFiles(modules)).toEqual([]);
    expect(runOnly(modules)).toEqual([]);
  });

  it.each([
    [['validate', 'profiles/quickstart.yaml'], 0, 'validate'],
    [['profiles'], 0, 'profiles'],
    [['fault', '--help'], 0, 'fault'],
    [['ramp', '--phase', 'bad'], 2, 'ramp'],
  ])('%j: its own command file only, and nothing of a run', (args, exit, command) => {
    const { code, stderr, modules } = loadedBy(...args);
    expect(code, stderr).toBe(exit);
    expect(commandFiles(modules)).toEqual([`dist/cli/${command}.js`]);
    expect(runOnly(modules)).toEqual([]);
  });

  it('a run loads the run engine once its flags are accepted (the hook sees modules loaded late)', () => {
    const { code, stderr, modules } = loadedBy('ramp', '--virtual', '--phase', 'a:1s:5', '--quiet');
    expect(code, stderr).toBe(0);
    expect(modules).toEqual(expect.arrayContaining(['dist/cli/ramp-run.js', 'dist/run/virtual-run.js']));
  });

  it('the top-level help loads every command, to list them', () => {
    const { code, modules } = loadedBy('--help');
    expect(code).toBe(0);
    expect(commandFiles(modules)).toEqual(Object.keys(COMMANDS).map((name) => `dist/cli/${name}.js`));
  });
});

describe('the commands a command line needs', () => {
  const argv = (...args: string[]): string[] => ['node', 'incident-load', ...args];
  const all = Object.keys(COMMANDS);

  it('a command named first: that one alone', () => {
    expect(commandsFor(argv('ramp', '--phase', 'bad'))).toEqual(['ramp']);
    expect(commandsFor(argv('fault', '--help'))).toEqual(['fault']);
  });

  it('--version or -V first: none', () => {
    expect(commandsFor(argv('--version'))).toEqual([]);
    expect(commandsFor(argv('-V', 'ramp'))).toEqual([]);
  });

  it('anything else (help, no command, an unknown or misspelt one, an option first): all, so that help and errors list them', () => {
    for (const args of [[], ['--help'], ['help', 'ramp'], ['rmap'], ['-h', 'ramp'], ['--nope', 'ramp'], ['toString'], ['__proto__']])
      expect(commandsFor(argv(...args)), args.join(' ')).toEqual(all);
  });

  it("each name's loader makes the command of that name (the built CLI's, in one process)", () => {
    const program = join(ROOT, 'dist', 'cli', 'program.js');
    const script = `const { COMMANDS } = await import(${JSON.stringify(program)});
      for (const [name, load] of Object.entries(COMMANDS)) console.log(name, (await load()).name());`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(all.map((name) => `${name} ${name}`));
  });
});
