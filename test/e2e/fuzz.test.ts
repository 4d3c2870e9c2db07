// Hostile input, generated: the bundled profiles, mutated (values swapped for huge, negative, non-finite,
// wrong-typed, control-character or enormous ones; keys deleted, added or duplicated; text cut short or
// corrupted), and random flags. Whatever the input, the answer is a profile, or bad input (exit 2, a
// UsageError in process) — never a stack trace, never a hang. Seeded, so a failure replays: the mutant is
// printed with its seed and number.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { bundledProfiles, parseProfile } from '../../src/profile/load.js';
import { buildRunPlan, type RunOverrides } from '../../src/run/plan.js';
import { describeProfile } from '../../src/report/profile-summary.js';
import { UsageError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { parse as parseYaml } from 'yaml';
import { runCliInProcess } from '../support/cli-in-process.js';
import { runCli } from '../support/cli.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SEED = 20261201;
const seeds = bundledProfiles().map((p) => ({ name: p.name, text: readFileSync(p.path, 'utf8') }));

const NASTY: unknown[] = [
  1e308,
  -1,
  0,
  -0.5,
  1.5,
  2 ** 53,
  4294967296,
  '9'.repeat(400),
  `${'9'.repeat(400)}s`,
  'NaN',
  'Infinity',
  '',
  ' ',
  null,
  true,
  [],
  {},
  [[[[[]]]]],
  'x'.repeat(10_000),
  '\u001b]0;pwned\u0007\u001b[2J',
  'a\r\nx-injected: 1',
  'ünïcödé ✓ 🚀',
  '\u202eevil',
  '1e12/s',
  '100000000',
  'vus=100000000',
  '1h',
  '-5s',
  '0s',
  '50%',
  '150%',
  'exp:999999999999999999999s',
  'http://user:secret@127.0.0.1:0/',
  'ftp://127.0.0.1/',
  '__proto__',
];

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random.next() * items.length)]!;
}

/** Every path to a value inside `root` (objects and arrays), the root excluded. */
function paths(root: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (root === null || typeof root !== 'object' || out.length > 2_000) return out;
  const entries: [string | number, unknown][] = Array.isArray(root) ? root.map((v, i) => [i, v]) : Object.entries(root);
  for (const [key, value] of entries) {
    out.push([...prefix, key]);
    paths(value, [...prefix, key], out);
  }
  return out;
}

function mutate(value: unknown, random: Random): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  const all = paths(copy);
  const times = 1 + Math.floor(random.next() * 3);
  for (let n = 0; n < times && all.length > 0; n++) {
    const path = pick(random, all);
    const parent = path
      .slice(0, -1)
      .reduce<Record<string | number, unknown> | undefined>((node, k) => node?.[k] as Record<string | number, unknown> | undefined, copy);
    if (!parent || typeof parent !== 'object') continue;
    const key = path.at(-1)!;
    const op = random.next();
    if (op < 0.6) parent[key] = structuredClone(pick(random, NASTY));
    else if (op < 0.75) delete parent[key];
    else if (op < 0.85) (parent as Record<string, unknown>)[`unknown${Math.floor(random.next() * 100)}`] = pick(random, NASTY);
    else if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
    else parent[key] = [parent[key], parent[key]];
  }
  return copy;
}

function corruptText(text: string, random: Random): string {
  const op = random.next();
  const at = Math.floor(random.next() * text.length);
  if (op < 0.3) return text.slice(0, at);
  if (op < 0.6) return `${text.slice(0, at)}${pick(random, ['\u0000', '\t', '*nope', '&a [*a]', ': :', '{', '"', '\ufeff', '\n  - '])}${text.slice(at)}`;
  if (op < 0.8) return `${text}\n${pick(random, ['x: *undefined', 'a: &a [1]\nb: [*a, *a]', 'phases: 7', '---\nname: two'])}\n`;
  return text.replace(/\d+/g, () => pick(random, ['1e309', '-1', '99999999999999999999', '0']));
}

/** Runs `attempt`; only a profile or bad input (UsageError) is an acceptable outcome. */
function outcome(attempt: () => void): 'ok' | 'bad input' | Error {
  try {
    attempt();
    return 'ok';
  } catch (err) {
    return err instanceof UsageError ? 'bad input' : (err as Error);
  }
}

const FLAG_OVERRIDES: RunOverrides[] = [
  {},
  { seed: 7 },
  { speed: 10 },
  { connections: 10, maxInFlight: 10 },
  { retries: 3, backoff: 'exponential' },
  { timeoutMs: 1_000 },
  { target: 'http://127.0.0.1:1/' },
];

describe('fuzzing the profile and the flags', () => {
  it('mutated bundled profiles: a profile or bad input, never an unexpected error (in process)', () => {
    const random = new Random(SEED, 'fuzz');
    const tally = { ok: 0, 'bad input': 0 };
    for (let i = 0; i < 400; i++) {
      const seed = pick(random, seeds);
      const mutant = i % 4 === 3 ? corruptText(seed.text, random) : (i % 2 ? JSON.stringify : stringify)(mutate(parseYaml(seed.text), random));
      const result = outcome(() => {
        const profile = parseProfile(mutant, `fuzz-${i}.yaml`, 'fuzz');
        describeProfile(profile);
        buildRunPlan(profile, pick(random, FLAG_OVERRIDES));
      });
      if (result instanceof Error)
        throw new Error(`mutant ${i} of ${seed.name} (seed ${SEED}) raised ${result.stack}\n--- mutant ---\n${mutant.slice(0, 4000)}`);
      tally[result]++;
    }
    // Both outcomes occur: a fuzzer whose every mutant is rejected (or accepted) tests nothing.
    expect(tally.ok).toBeGreaterThan(20);
    expect(tally['bad input']).toBeGreaterThan(100);
  });

  it('random flags, in process: bad input (exit 2 with one message) or a short run, never an unexpected error', async () => {
    const random = new Random(SEED, 'fuzz-flags');
    const flags = [
      '--speed',
      '--seed',
      '-c',
      '--max-in-flight',
      '--timeout',
      '--retries',
      '--backoff',
      '--arrivals',
      '--target',
      '--phase',
      '-H',
      '--expected-statuses',
      '--redirects',
      '--threshold',
      '--mock',
      '--fault',
      '--method',
    ];
    for (let i = 0; i < 60; i++) {
      const args = [pick(random, flags), String(pick(random, NASTY) ?? '')];
      const res = await runCliInProcess(['ramp', '--phase', 'f:100ms:5', '--no-progress', '--quiet', ...args]);
      const context = `${args.join(' ')}: exit ${res.code}\n${res.stderr.slice(0, 2000)}`;
      expect([0, 2], context).toContain(res.code);
      expect(res.stderr, context).not.toMatch(/unexpected error|\n\s+at .*\(.*:\d+:\d+\)/);
    }
  }, 60_000);

  it('through the CLI, mutated profiles and random flags exit 0 or 2, with one line of message and no stack trace', async () => {
    const random = new Random(SEED, 'fuzz-cli');
    const dir = mkdtempSync(join(tmpdir(), 'incident-load-fuzz-'));
    const flagPool: string[][] = [
      ['--speed', '1e9'],
      ['--speed', 'fast'],
      ['-c', '100001'],
      ['--seed', '4294967296'],
      ['--max-in-flight', '0'],
      ['--timeout', `${'9'.repeat(400)}s`],
      ['--retries', '101'],
      ['--target', 'http://127.0.0.1:0/'],
      ['--phase', 'a:1s:1000000000000'],
      ['--phase', 'a:1s:vus=100000000'],
      ['-H', 'x-a: b\r\nx-injected: 1'],
      ['--body', '@/dev/zero'],
      ['--fault', '1h:shrink-fleet:workers=4'],
      ['--json', ''],
      ['--json', '/proc/x.json'],
      ['--mock', 'fleet.serviceTime=exp:99999999999999999999999s'],
      ['--threshold', 'p98 < 1s'],
    ];
    // One at a time: the suite's other tests measure things, and a burst of processes would disturb them.
    for (let i = 0; i < 4; i++) {
      const seed = pick(random, seeds);
      const file = join(dir, `mutant-${i}.yaml`);
      writeFileSync(file, stringify(mutate(parseYaml(seed.text), random)));
      await check(['validate', file], `mutant ${i} of ${seed.name}`);
    }
    for (let i = 0; i < 4; i++) {
      const flags = [pick(random, flagPool), pick(random, flagPool)].flat();
      await check(['ramp', '--phase', 'f:200ms:10', '--no-progress', '--quiet', ...flags], flags.join(' '));
    }
  }, 60_000);
});

async function check(args: string[], what: string): Promise<void> {
  const res = await runCli(args, { timeoutMs: 20_000 });
  const context = `${what}: exit ${res.code}\n${res.stderr.slice(0, 2000)}`;
  expect([0, 2], context).toContain(res.code);
  expect(res.stderr, context).not.toMatch(/unexpected error|\n\s+at .*\(.*:\d+:\d+\)/);
  if (res.code === 2) expect(res.stderr.trim(), context).toMatch(/^incident-load: /);
}
