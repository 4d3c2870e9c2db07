// What `npm test` runs before the tests: lint (eslint, prettier), the type check of sources and tests, and
// the build the end-to-end tests run (dist/). Two at a time — the machine the suite is written for has two
// cores, and eslint alone takes half the time — a failed one's output printed whole when it ends, then a
// line per check. Exit 1 when any failed, after all have ended (so that one run says
// everything that is wrong). The same commands as `npm run lint`, `npm run typecheck` and `npm run build`.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const CHECKS = [
  { name: 'eslint', cmd: ['eslint', '.'] },
  { name: 'typecheck', cmd: ['tsc', '-p', 'tsconfig.test.json'] },
  { name: 'build', cmd: ['tsc', '-p', 'tsconfig.json'] },
  { name: 'prettier', cmd: ['prettier', '--check', '**/*.{ts,js,mjs,json}'] },
];
const AT_ONCE = Math.max(1, Math.min(2, availableParallelism()));

/** Runs one check (its binary from node_modules/.bin, on PATH under npm), its output kept. */
function run(check) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(check.cmd[0], check.cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => resolve({ ...check, code: 1, output: `${output}${err.message}\n`, seconds: 0 }));
    child.on('close', (code, signal) => resolve({ ...check, code: code ?? (signal ? 1 : 0), output, seconds: (performance.now() - started) / 1000 }));
  });
}

const queue = [...CHECKS];
const results = [];
async function worker() {
  for (let check = queue.shift(); check; check = queue.shift()) {
    const result = await run(check);
    if (result.code !== 0) process.stdout.write(`\n── ${result.name} (${result.cmd.join(' ')})\n${result.output.replace(/\n*$/, '\n')}`);
    results.push(result);
  }
}
await Promise.all(Array.from({ length: AT_ONCE }, worker));
process.stdout.write('\n');
for (const r of CHECKS.map((c) => results.find((x) => x.name === c.name)))
  process.stdout.write(`${r.code === 0 ? 'ok    ' : 'FAILED'} ${r.name.padEnd(10)} ${r.seconds.toFixed(1)} s\n`);
if (results.some((r) => r.code !== 0)) process.exitCode = 1;
