// Reference for scenario 1: undici alone, the library incident-load sends with, in the tightest closed loop
// it allows: a Pool of N connections, N requests always outstanding, each answer immediately followed by
// the next dispatch, the same native handler interface incident-load uses, no recording at all. What
// it reaches is the ceiling for any generator built on undici on this machine; the gap between it and
// incident-load is incident-load's own cost, the gap between it and autocannon is the library's.
// `node bench/undici-floor.js <url> <connections> <seconds>` prints {"requests","seconds","errors"}.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// undici as incident-load resolves it (the project's own dependency).
const require = createRequire(join(fileURLToPath(new URL('.', import.meta.url)), '..', 'package.json'));
const { Pool } = require('undici');

const [url, connections, seconds] = [new URL(process.argv[2]), Number(process.argv[3]), Number(process.argv[4])];
const pool = new Pool(url.origin, { connections, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
const options = { origin: url.origin, method: 'GET', path: url.pathname, headers: {} };

let completed = 0;
let errors = 0;
let running = true;

class Handler {
  onConnect() {}
  onHeaders() {
    return true;
  }
  onData() {
    return true;
  }
  onComplete() {
    completed++;
    if (running) send();
  }
  onError() {
    errors++;
    if (running) send();
  }
}

function send() {
  pool.dispatch(options, new Handler());
}

const started = performance.now();
for (let i = 0; i < connections; i++) send();
setTimeout(async () => {
  running = false;
  const elapsed = (performance.now() - started) / 1000;
  const done = completed;
  await pool.close();
  process.stdout.write(`${JSON.stringify({ requests: done, seconds: elapsed, errors })}\n`);
}, seconds * 1000);
