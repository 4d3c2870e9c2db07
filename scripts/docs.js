#!/usr/bin/env node
// `npm run docs`: regenerates every marked output in the docs (README.md, the pages under docs/ and the
// other top-level pages) by running the built CLI, and rewrites only the content of the marked fences.
// The marker syntax is in scripts/docs/markers.js.
//
//   npm run docs                       every page (about 13 minutes: the replays are most of it)
//   npm run docs -- --only commands    pages whose path contains "commands" (repeatable)
//   npm run docs -- --list             the marked blocks, without running anything
//
// Each page runs in a fresh scratch directory (with docs/ linked into it, so docs/examples/... paths
// work), with NO_COLOR=1 and COLUMNS=100, against loopback servers on 127.0.0.1 only; the seeds are the
// profiles' own, so only wall times, ports, timestamps and paths of temporary files change from run to
// run. Needs bash; some examples use curl and jq.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBlocks, keepParagraphs, replaceBlocks, sectionOf } from './docs/markers.js';
import { startTargets } from './docs/servers.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(REPO, 'bin', 'incident-load.js');
const TLS = join(REPO, 'test', 'support', 'tls');
/** No one block may take longer than this (the longest, a replay compared with its twin, takes ~3 min). */
const BLOCK_TIMEOUT_MS = 15 * 60_000;
const PLACEHOLDERS = ['TLS_TARGET', 'TARGET_HOST', 'TARGET', 'TRAFFIC', 'CONTROL', 'TOKEN_FILE'];

/** README.md, ARCHITECTURE.md, CHANGELOG.md, CONTRIBUTING.md, then docs/**\/*.md in path order. */
export function docPages(root = REPO) {
  const top = ['README.md', 'ARCHITECTURE.md', 'CHANGELOG.md', 'CONTRIBUTING.md'].filter((p) => existsSync(join(root, p)));
  const walk = (dir) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
  return [...top, ...(existsSync(join(root, 'docs')) ? walk('docs') : [])];
}

function parseArgs(argv) {
  const args = { only: [], list: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only' && argv[i + 1]) args.only.push(argv[++i]);
    else if (argv[i] === '--list') args.list = true;
    else {
      process.stderr.write(`docs: unknown argument ${JSON.stringify(argv[i])} (known: --only <part of a page's path>, --list)\n`);
      process.exit(2);
    }
  }
  return args;
}

/** "$TARGET/orders" -> "http://127.0.0.1:40123/orders", for the command as the fence shows it. */
function shown(line, env) {
  let out = line;
  for (const name of PLACEHOLDERS) {
    if (env[name] !== undefined) out = out.replace(new RegExp(`\\$\\{?${name}\\}?(?![A-Za-z0-9_])`, 'g'), env[name]);
  }
  return out;
}

/** What a reader would see had they run it from the repository: no scratch paths, no trailing spaces. */
function tidy(text, scratch) {
  return text
    .split(`${scratch}/`)
    .join('')
    .split(`${REPO}/`)
    .join('')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n+$/, '');
}

/** A scratch directory with `incident-load` on its PATH, docs/ linked in, and ca.pem for the TLS examples. */
function scratchDir() {
  const dir = mkdtempSync(join(tmpdir(), 'incident-load-docs-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'incident-load'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(dir, 'bin', 'incident-load'), 0o755);
  symlinkSync(join(REPO, 'docs'), join(dir, 'docs'));
  symlinkSync(join(TLS, 'cert.pem'), join(dir, 'ca.pem'));
  return dir;
}

/** Runs `lines` in one bash session; returns what each printed (stdout and stderr, in order). */
function runSession(lines, { cwd, env }) {
  const SEP = '\u001e';
  const script = ['exec 2>&1', 'cd "$1"', '__status=0'];
  lines.forEach((line, i) => {
    script.push(`printf '${SEP}%d\\n' ${i}`, `(exit $__status)`, line, '__status=$?');
  });
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script.join('\n'), 'docs', cwd], { cwd, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, BLOCK_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) return reject(new Error(`the session was killed (${signal}) after ${BLOCK_TIMEOUT_MS / 60_000} min: ${lines.join(' ; ')}`));
      const outputs = lines.map(() => '');
      for (const part of out.split(SEP).slice(1)) {
        const nl = part.indexOf('\n');
        outputs[Number(part.slice(0, nl))] = part.slice(nl + 1);
      }
      resolve(outputs);
    });
  });
}

/** `incident-load mock ARGS` in the background; its terminal becomes the block's output when stopped. */
async function startMock(args, { cwd, env }) {
  const child = spawn('bash', ['-c', `exec incident-load mock ${args}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d.toString()));
  child.stderr.on('data', (d) => (out += d.toString()));
  const exited = new Promise((resolve) => child.on('close', resolve));
  const deadline = Date.now() + 20_000;
  while (!/^token\s+\S+/m.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`incident-load mock ${args} did not print its token line: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const field = (name) => new RegExp(`^${name}\\s+(\\S+)`, 'm').exec(out)[1];
  return {
    vars: { TRAFFIC: field('traffic'), CONTROL: field('control'), TOKEN_FILE: field('token') },
    async stop() {
      await new Promise((r) => setTimeout(r, 200));
      const before = out;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      return `${before}^C\n${out.slice(before.length)}`;
    },
  };
}

async function regeneratePage(page, targets) {
  const path = join(REPO, page);
  const text = readFileSync(path, 'utf8');
  const blocks = findBlocks(text, page);
  if (blocks.length === 0) return;
  const scratch = scratchDir();
  const env = {
    ...process.env,
    PATH: `${join(scratch, 'bin')}:${process.env.PATH}`,
    NO_COLOR: '1',
    COLUMNS: '100',
    TARGET: targets.target,
    TARGET_HOST: new URL(targets.target).host,
    TLS_TARGET: targets.tlsTarget,
  };
  delete env.FORCE_COLOR;
  delete env.INCIDENT_LOAD_CONTROL_TOKEN;
  const outputs = [];
  let mock;
  const stopMock = async () => {
    if (!mock) return;
    outputs[mock.index] = tidy(`$ ${shown(`incident-load mock ${mock.args}`, env)}\n${await mock.session.stop()}`, scratch);
    for (const name of Object.keys(mock.session.vars)) delete env[name];
    mock = undefined;
  };
  try {
    for (const [i, block] of blocks.entries()) {
      const started = Date.now();
      process.stderr.write(`docs: ${page}:${block.line} ${block.kind}: ${block.lines[0]}${block.lines.length > 1 ? ' ...' : ''}`);
      if (block.kind === 'include') {
        const [file, anchor] = block.spec.split('#');
        outputs[i] = sectionOf(readFileSync(join(REPO, file), 'utf8'), anchor, file);
      } else if (block.kind === 'mock') {
        await stopMock();
        const session = await startMock(block.spec, { cwd: scratch, env });
        Object.assign(env, session.vars);
        mock = { index: i, args: block.spec, session };
        outputs[i] = undefined;
      } else {
        const lines = block.kind === 'output' ? [`incident-load ${block.spec}`] : block.lines;
        const printed = await runSession(lines, { cwd: scratch, env });
        const keep = (o) => (block.options.keep ? keepParagraphs(o.replace(/\n+$/, ''), block.options.keep) : o);
        outputs[i] =
          block.kind === 'output'
            ? tidy(keep(printed[0]), scratch)
            : tidy(lines.map((line, n) => `$ ${shown(line, env)}\n${keep(printed[n])}`.replace(/\n+$/, '')).join('\n'), scratch);
      }
      process.stderr.write(` (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
    }
    await stopMock();
  } finally {
    if (mock) await mock.session.stop().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
  const next = replaceBlocks(text, blocks, outputs);
  if (next !== text) {
    writeFileSync(path, next);
    process.stderr.write(`docs: ${page} rewritten\n`);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const pages = docPages().filter((p) => args.only.length === 0 || args.only.some((o) => p.includes(o)));
  if (pages.length === 0) {
    process.stderr.write(`docs: no page matches ${args.only.join(', ')}\n`);
    process.exit(2);
  }
  if (args.list) {
    for (const page of pages)
      for (const b of findBlocks(readFileSync(join(REPO, page), 'utf8'), page)) process.stdout.write(`${page}:${b.line} ${b.kind}: ${b.lines.join(' ; ')}\n`);
    return;
  }
  // Every page is checked before anything runs: a broken marker should not cost ten minutes.
  for (const page of pages) findBlocks(readFileSync(join(REPO, page), 'utf8'), page);
  const targets = await startTargets({ certFile: join(TLS, 'cert.pem'), keyFile: join(TLS, 'key.pem') });
  const started = Date.now();
  try {
    for (const page of pages) await regeneratePage(page, targets);
  } finally {
    await targets.stop();
  }
  process.stderr.write(`docs: done in ${Math.round((Date.now() - started) / 1000)}s (${relative(process.cwd(), REPO) || '.'})\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    process.stderr.write(`docs: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
