// collectGarbage() exposes V8's gc() by setting a flag for a moment; V8's flags are the process's, so with
// --workers every worker thread does it at once, and one's reset could fall between another's set and its
// use: "ReferenceError: gc is not defined" lost a worker's share of a run under load. Here sixteen threads
// are released together (a shared barrier), each calling it once, three rounds over: with the old code a
// few of each sixteen failed; none may.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('../../../dist/run/engine/warm-up.js', import.meta.url));
const THREADS = 16;

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
import(workerData.module).then(({ collectGarbage }) => {
  const gate = new Int32Array(workerData.gate);
  Atomics.add(gate, 1, 1);
  Atomics.wait(gate, 0, 0);
  try { collectGarbage(); parentPort.postMessage('ok'); } catch (err) { parentPort.postMessage(String(err)); }
});
`;

async function round(): Promise<string[]> {
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const answers: Promise<string>[] = [];
  for (let i = 0; i < THREADS; i++) {
    const worker = new Worker(WORKER, { eval: true, workerData: { module: MODULE, gate: gate.buffer } });
    answers.push(
      new Promise((resolve, reject) => {
        worker.once('message', (m: string) => void worker.terminate().then(() => resolve(m)));
        worker.once('error', reject);
      }),
    );
  }
  while (Atomics.load(gate, 1) < THREADS) await new Promise((r) => setTimeout(r, 5));
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  return Promise.all(answers);
}

describe('collectGarbage in many threads at once', () => {
  it('never loses a thread to another thread resetting the flag', async () => {
    for (let r = 0; r < 3; r++) expect(await round()).toEqual(Array(THREADS).fill('ok'));
  });
});
