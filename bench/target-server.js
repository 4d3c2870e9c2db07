// A loopback target in its own process: `node bench/target-server.js [delayMs]`.
// Without a delay it answers 200 at once; with one it answers exactly `delayMs` after the request
// arrived. Node's timers alone fire anywhere in about [delay-1, delay+1] ms (libuv keeps time in whole
// ms), so a timer wakes the server a little early and setImmediate finishes the wait against
// performance.now(): the hold is exact to a few tens of microseconds, at the price of a busy core,
// which is this process's own. The hold each request got is measured and served at GET /__bench/hold.
// Prints {"port": P} on stdout once it listens on 127.0.0.1.
import http from 'node:http';

const delayMs = Number(process.argv[2] ?? 0);
const BODY = Buffer.from('ok');
const HEADERS = { 'content-type': 'text/plain', 'content-length': BODY.length };

// Hold times in 10 µs buckets up to 1 s: enough to tell 20.00 ms from 20.05 ms.
const BUCKET_US = 10;
const holdBuckets = new Uint32Array(100_000);
let holdCount = 0;
let holdSumMs = 0;

function answer(res) {
  res.writeHead(200, HEADERS);
  res.end(BODY);
}

// Requests held for the delay, in arrival order; every due time is arrival + the same delay, so the
// queue is sorted by construction and only its head needs watching.
const held = [];
let head = 0;
let armed = false;

function hold(res, arrived) {
  held.push({ res, arrived, due: arrived + delayMs });
  if (!armed) arm(performance.now());
}

function release() {
  armed = false;
  const now = performance.now();
  while (head < held.length && held[head].due <= now) {
    const item = held[head];
    held[head++] = undefined;
    const holdMs = performance.now() - item.arrived;
    holdCount++;
    holdSumMs += holdMs;
    holdBuckets[Math.min(holdBuckets.length - 1, Math.round((holdMs * 1000) / BUCKET_US))]++;
    answer(item.res);
  }
  if (head > 1024 && head * 2 > held.length) {
    held.splice(0, head);
    head = 0;
  }
  if (head < held.length) arm(now);
}

function arm(now) {
  armed = true;
  const wait = held[head].due - now;
  if (wait > 2) setTimeout(release, wait - 1.5);
  else setImmediate(release);
}

function holdSummary() {
  const at = (q) => {
    const want = Math.ceil(q * holdCount);
    let seen = 0;
    for (let i = 0; i < holdBuckets.length; i++) {
      seen += holdBuckets[i];
      if (seen >= want && want > 0) return (i * BUCKET_US) / 1000;
    }
    return null;
  };
  return { count: holdCount, meanMs: holdCount ? holdSumMs / holdCount : null, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
}

const server = http.createServer((req, res) => {
  if (req.url === '/__bench/hold') {
    const body = JSON.stringify(holdSummary());
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (req.url === '/__bench/reset') {
    holdBuckets.fill(0);
    holdCount = 0;
    holdSumMs = 0;
    answer(res);
    return;
  }
  // Drain any request body so the connection stays usable.
  req.resume();
  if (delayMs > 0) hold(res, performance.now());
  else answer(res);
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
