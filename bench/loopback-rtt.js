// The "truth" for the latency scenario: one sequential client on a raw keep-alive TCP socket (no HTTP
// library, no pool), one request at a time, timing from the write of a prebuilt request to the arrival
// of the whole response. Against the immediate node:http target this is the loopback round trip plus
// the server's own handling, the part of any latency that is not the 20 ms hold.
// `node bench/loopback-rtt.js <url> [count] [warmup]` prints {"p50","mean","p90","p99"} in ms.
import net from 'node:net';

const url = new URL(process.argv[2]);
const count = Number(process.argv[3] ?? 3000);
const warmup = Number(process.argv[4] ?? 300);
const request = Buffer.from(`GET ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\nconnection: keep-alive\r\n\r\n`);

const socket = net.connect(Number(url.port), url.hostname);
socket.setNoDelay(true);
await new Promise((resolve, reject) => {
  socket.once('connect', resolve);
  socket.once('error', reject);
});

const samples = [];
let buffered = '';
let expect = -1;
let started = 0;
let onDone;

socket.setEncoding('latin1');
socket.on('data', (chunk) => {
  buffered += chunk;
  if (expect < 0) {
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0) return;
    const length = /content-length:\s*(\d+)/i.exec(buffered.slice(0, end));
    expect = end + 4 + Number(length?.[1] ?? 0);
  }
  if (buffered.length >= expect) {
    const ms = performance.now() - started;
    buffered = '';
    expect = -1;
    onDone(ms);
  }
});

function once() {
  return new Promise((resolve) => {
    onDone = resolve;
    started = performance.now();
    socket.write(request);
  });
}

for (let i = 0; i < warmup; i++) await once();
for (let i = 0; i < count; i++) samples.push(await once());
socket.destroy();

samples.sort((a, b) => a - b);
const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
process.stdout.write(`${JSON.stringify({ count, p50: at(0.5), mean: samples.reduce((a, b) => a + b, 0) / samples.length, p90: at(0.9), p99: at(0.99) })}\n`);
