// Which Chromium the browser tests and the screenshot script drive (with playwright-core), in this order:
//   1. INCIDENT_LOAD_CHROMIUM, a path the user gives (it must exist);
//   2. a system Chromium (/usr/bin/chromium, chromium-browser, google-chrome), unless
//      INCIDENT_LOAD_NO_SYSTEM_CHROMIUM=1 hides it (how a test proves the next one works);
//   3. on Linux x64, the one shipped inside the npm package @sparticuz/chromium (a dev dependency: the
//      binary is in the package, nothing is downloaded), inflated once into the temporary directory;
//   4. otherwise an error that says what to do.
// So `npm install && npm test` needs no apt step and no root.
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SYSTEM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Flags for any Chromium we drive: root needs --no-sandbox; the rest keep it from reaching out on its own. */
const QUIET = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The browser to launch: `{ executablePath, args, source }`, source being 'INCIDENT_LOAD_CHROMIUM',
 * 'system' or '@sparticuz/chromium'. Throws with what to do when there is none.
 */
export async function findChromium(env = process.env) {
  const given = env.INCIDENT_LOAD_CHROMIUM;
  if (given) {
    if (!existsSync(given)) throw new Error(`INCIDENT_LOAD_CHROMIUM=${given}: no such file`);
    return { executablePath: given, args: QUIET, source: 'INCIDENT_LOAD_CHROMIUM' };
  }
  if (env.INCIDENT_LOAD_NO_SYSTEM_CHROMIUM !== '1') {
    const system = SYSTEM.find((path) => existsSync(path));
    if (system) return { executablePath: system, args: QUIET, source: 'system' };
  }
  if (process.platform === 'linux' && process.arch === 'x64') {
    const { default: shipped } = await import('@sparticuz/chromium');
    const executablePath = await inflateOnce(shipped);
    // Its own flags (single process, no zygote: what lets it run as root without a sandbox helper) but
    // not its --headless, which playwright passes itself.
    const args = [...new Set([...shipped.args.filter((a) => !a.startsWith('--headless')), ...QUIET])];
    return { executablePath, args, source: '@sparticuz/chromium' };
  }
  throw new Error(
    `no Chromium found for ${process.platform}/${process.arch}: install one (Debian: apt-get install -y chromium) or give its path in INCIDENT_LOAD_CHROMIUM`,
  );
}

/**
 * The package inflates its binary to <tmpdir>/chromium and, when that file exists, trusts it — a copy
 * cut short by a killed process would be trusted forever, and two test processes inflating at once
 * would write the same file. So one process at a time inflates (a lock directory), and a mark written
 * afterwards says the copy is whole.
 */
async function inflateOnce(shipped) {
  const binary = join(tmpdir(), 'chromium');
  const mark = join(tmpdir(), 'chromium.incident-load-whole');
  const lock = join(tmpdir(), 'chromium.incident-load-lock');
  const whole = () => existsSync(mark) && existsSync(binary) && statSync(binary).size > 0;
  if (whole()) return binary;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process inflates; a lock older than two minutes was left by one that died.
      if (whole()) return binary;
      if (Date.now() > deadline || Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (whole()) return binary;
    rmSync(binary, { force: true });
    const path = await shipped.executablePath();
    writeFileSync(mark, `${path}\n`);
    return path;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
