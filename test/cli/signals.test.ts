// A stop signal that arrives while nothing is being measured (start-up, reading a profile, validating)
// gets an answer: a message and exit 130, never a silent death by signal.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const signals = fileURLToPath(new URL('../../dist/cli/signals.js', import.meta.url));

describe('stop signals', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'])('%s with no command measuring: a message and exit 130', (signal) => {
    const script = `import(${JSON.stringify(signals)}).then((m) => { m.installSignals(); process.kill(process.pid, ${JSON.stringify(signal)}); setTimeout(() => process.exit(0), 2000); });`;
    const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(res.signal).toBeNull();
    expect(res.status).toBe(130);
    expect(res.stderr).toContain(`incident-load: ${signal} before anything was measured: stopped`);
  });

  it('with a handler: the first signal is handed over (count 1), the second too (count 2)', () => {
    const script = `import(${JSON.stringify(signals)}).then((m) => { m.installSignals(); const seen = []; m.onStopSignal((s, n) => { seen.push(s + ':' + n); if (n === 2) { console.log(seen.join(',')); process.exit(7); } }); process.kill(process.pid, 'SIGINT'); setTimeout(() => process.kill(process.pid, 'SIGHUP'), 50); setTimeout(() => process.exit(0), 2000); });`;
    const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(res.status).toBe(7);
    expect(res.stdout.trim()).toBe('SIGINT:1,SIGHUP:2');
  });

  it("takes over from the launcher's early handler: the command's handler gets the signal, the launcher's is gone", () => {
    // As bin/incident-load.js leaves it: a handler on each stop signal, under a well-known symbol.
    const early = `const early = () => { console.log('early'); process.exit(9); }; for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, early); globalThis[Symbol.for('incident-load.early-stop')] = early;`;
    const script = `${early} import(${JSON.stringify(signals)}).then((m) => { m.installSignals(); console.log(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listeners(s).includes(early) + ':' + process.listenerCount(s)).join(',')); m.onStopSignal((s, n) => { console.log(s + ':' + n); process.exit(7); }); process.kill(process.pid, 'SIGTERM'); setTimeout(() => process.exit(0), 2000); });`;
    const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(res.stdout.trim().split('\n')).toEqual(['false:1,false:1,false:1', 'SIGTERM:1']);
    expect(res.status).toBe(7);
  });
});
