#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time, and the
// share that is the project's own code, node_modules, Node internals, GC and idle.
//   node bench/cpuprofile-top.js <file.cpuprofile> [count]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

export function summarizeProfile(profile, count = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + dt);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const functions = new Map();
  const groups = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    const name = callFrame.functionName || '(anonymous)';
    const where = callFrame.url ? `${shorten(callFrame.url)}:${callFrame.lineNumber + 1}` : '';
    const key = `${name} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + us);
    const group = groupOf(name, callFrame.url);
    groups.set(group, (groups.get(group) ?? 0) + us);
  }
  const top = [...functions].sort((a, b) => b[1] - a[1]).slice(0, count);
  const inclusive = inclusiveTimes(profile, byId, selfUs);
  const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
  const lines = [`total sampled ${(total / 1000).toFixed(0)} ms`, '', 'share by origin:'];
  for (const [g, us] of [...groups].sort((a, b) => b[1] - a[1])) lines.push(`  ${pct(us)}  ${g}`);
  lines.push('', `top ${count} by self time:`);
  for (const [key, us] of top) lines.push(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
  const own = [...inclusive]
    .filter(([key]) => key.includes('dist/') && !key.includes('node_modules'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15);
  lines.push('', "incident-load's own functions by total time (self + everything they call):");
  for (const [key, us] of own) lines.push(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
  return lines.join('\n');
}

/** Self plus descendants, per function; a function that recurses into itself is counted once. */
function inclusiveTimes(profile, byId, selfUs) {
  const totals = new Map();
  const keyOf = (node) => {
    const { callFrame } = node;
    const name = callFrame.functionName || '(anonymous)';
    const where = callFrame.url ? `${shorten(callFrame.url)}:${callFrame.lineNumber + 1}` : '';
    return `${name} ${where}`.trim();
  };
  const root = profile.nodes[0];
  const subtotal = new Map();
  // Post-order without recursion: profiles can be deep.
  const order = [];
  const stack = [root.id];
  while (stack.length) {
    const id = stack.pop();
    order.push(id);
    for (const child of byId.get(id).children ?? []) stack.push(child);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = byId.get(order[i]);
    let us = selfUs.get(node.id) ?? 0;
    for (const child of node.children ?? []) us += subtotal.get(child) ?? 0;
    subtotal.set(node.id, us);
  }
  const walk = [[root.id, new Set()]];
  while (walk.length) {
    const [id, onStack] = walk.pop();
    const node = byId.get(id);
    const key = keyOf(node);
    let below = onStack;
    if (!onStack.has(key)) {
      totals.set(key, (totals.get(key) ?? 0) + subtotal.get(id));
      below = new Set(onStack).add(key);
    }
    for (const child of node.children ?? []) walk.push([child, below]);
  }
  return totals;
}

function shorten(url) {
  const path = url.replace(/^file:\/\//, '');
  if (path.startsWith('/')) return relative(process.cwd(), path);
  return path;
}

function groupOf(name, url) {
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)') return '(program): native, not attributed to JS';
  if (url.includes('/node_modules/undici/')) return 'undici';
  if (url.includes('/node_modules/hdr-histogram-js/')) return 'hdr-histogram-js';
  if (url.includes('/node_modules/')) return 'other node_modules';
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/dist/')) return 'incident-load (dist/)';
  if (!url) return 'native / builtins';
  return 'other';
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [file, count] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node bench/cpuprofile-top.js <file.cpuprofile> [count]\n');
    process.exit(2);
  }
  process.stdout.write(`${summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), Number(count ?? 25))}\n`);
}
