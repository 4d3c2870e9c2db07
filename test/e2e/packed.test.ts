// Usable from another repository: the package packs into a tarball that installs without building (dist/
// inside, devDependencies left out, no TypeScript compiler needed) and runs from a scratch project, as
// docs/ci.md tells another repository's CI to do. `npm pack --ignore-scripts` packs the dist/ that `npm
// test` has just built (running `prepare` here would rewrite dist/ under the tests running beside this
// one). The install fetches the production dependencies from the registry, as a user's does.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainServer, type TestServer } from '../support/servers.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let dir: string;
let project: string;
let server: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'incident-load-packed-'));
  project = join(dir, 'project');
  server = await plainServer();
}, 30_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('installs from its tarball into a scratch project and runs there, with no compiler', async () => {
    await run(NPM, ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: REPO, timeout: 120_000 });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toMatch(/^incident-load-.*\.tgz$/);

    rmSync(project, { recursive: true, force: true });
    await run('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
    await run(NPM, ['install', '--no-audit', '--no-fund', join(dir, tarball!)], { cwd: project, timeout: 240_000 });
    const installed = join(project, 'node_modules');
    expect(existsSync(join(installed, 'incident-load', 'dist', 'cli', 'main.js'))).toBe(true);
    expect(existsSync(join(installed, 'incident-load', 'profiles', 'quickstart.yaml'))).toBe(true);
    // No build at the user's side: no compiler, no test tooling, no sources.
    expect(existsSync(join(installed, 'typescript'))).toBe(false);
    expect(existsSync(join(installed, 'vitest'))).toBe(false);
    expect(existsSync(join(installed, 'incident-load', 'src'))).toBe(false);

    const version = await run(NPM, ['exec', '--', 'incident-load', '--version'], { cwd: project, timeout: 60_000 });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const ramp = await run(NPM, ['exec', '--', 'incident-load', 'ramp', '--target', server.url, '--phase', 'a:2s:50', '--no-progress'], {
      cwd: project,
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(ramp.stdout).toMatch(/^a +100 +50\/s +100 +0 +0 +100%/m);
  }, 300_000);
});
