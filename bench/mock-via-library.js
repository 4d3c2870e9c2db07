// Stand-in for `incident-load mock` while a build has no `mock` command: the same thing through the
// library API (startMock from dist/index.js), printing the same two lines. Used by targets.js only when
// the top-level help lists no `mock` command, and results.md says so.
// `node bench/mock-via-library.js <speed> <seed> key=value...`
import { applyMockOverride, defaultMockConfig, startMock } from '../dist/index.js';

const [speed, seed, ...overrides] = process.argv.slice(2);
let config = defaultMockConfig();
for (const kv of overrides) {
  const eq = kv.indexOf('=');
  config = applyMockOverride(config, kv.slice(0, eq), kv.slice(eq + 1));
}
const mock = await startMock({ config, speed: Number(speed), seed: Number(seed) });
process.stdout.write(`traffic  ${mock.url}\ncontrol  ${mock.controlUrl}\n`);
const stop = () => void mock.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// startMock's child does not keep this process alive; this process must stay up, or the mock's stdin
// closes and it ends.
setInterval(() => {}, 1 << 30);
