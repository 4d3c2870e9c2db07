// The mock's own process: started, found, stopped, and never left behind.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultMockConfig } from '../../src/mock/config/index.js';
import { startMock } from '../../src/mock/launch.js';
import { createMock } from '../../src/mock/mock.js';
import { sleep } from './support/clients.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const end = Date.now() + withinMs;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await sleep(20);
  }
  return !alive(pid);
}

describe('startMock: the mock in its own process', () => {
  it('starts on free loopback ports, answers, and stop() ends it', async () => {
    const mock = await startMock({ config: defaultMockConfig(), speed: 10, seed: 1 });
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.pid).not.toBe(process.pid);
    expect((await fetch(`${mock.url}/anything?at=all`, { method: 'POST', body: 'x' })).status).toBe(200);
    const s = (await (await fetch(`${mock.controlUrl}/state`, { headers: { authorization: `Bearer ${mock.token}` } })).json()) as {
      speed: number;
      workers: number;
    };
    expect(s).toMatchObject({ speed: 10, workers: 4 });
    await mock.stop();
    expect(alive(mock.pid)).toBe(false);
    await mock.stop(); // twice is fine
  });

  it('exits when the process that started it dies, even by SIGKILL (no orphans)', async () => {
    const launch = fileURLToPath(new URL('../../dist/mock/launch.js', import.meta.url));
    const script = `import(${JSON.stringify(launch)}).then(async ({ startMock }) => {
      const mock = await startMock({ config: { queue: { order: 'fifo', monitor: true, monitorInterval: 1000, cancelOnDisconnect: false, maxLength: 10, congestedAfter: 1000 }, fleet: { workers: 1, serviceTime: { dist: 'constant', mean: 5 } } } });
      console.log(mock.pid);
      setInterval(() => {}, 1000);
    });`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const childPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
      parent.once('exit', (code) => reject(new Error(`the parent script exited (${code}) before starting the mock`)));
    });
    expect(alive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await gone(childPid, 3000)).toBe(true);
  });

  it('does not keep the parent alive once started', async () => {
    const launch = fileURLToPath(new URL('../../dist/mock/launch.js', import.meta.url));
    const script = `import(${JSON.stringify(launch)}).then(async ({ startMock }) => {
      const mock = await startMock({ config: { queue: { order: 'fifo', monitor: true, monitorInterval: 1000, cancelOnDisconnect: false, maxLength: 10, congestedAfter: 1000 }, fleet: { workers: 1, serviceTime: { dist: 'constant', mean: 5 } } } });
      console.log(mock.pid);
    });`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.on('data', (d: Buffer) => (out += String(d)));
    const code = await new Promise<number | null>((resolve) => parent.on('exit', resolve));
    expect(code).toBe(0);
    expect(await gone(Number(out.trim()), 3000)).toBe(true);
  });

  it('rejects with the child’s own message when it cannot start', async () => {
    const first = await startMock({ config: defaultMockConfig() });
    try {
      const port = Number(new URL(first.url).port);
      await expect(startMock({ config: defaultMockConfig(), port })).rejects.toThrow(/exited \(code 1\) before it was ready: .*EADDRINUSE/);
    } finally {
      await first.stop();
    }
  });

  it('checks its input before starting anything', async () => {
    await expect(startMock({ config: defaultMockConfig(), host: '0.0.0.0' })).rejects.toThrow(/loopback only/);
    await expect(startMock({ config: { fleet: { workers: -1 } } as never })).rejects.toThrow(/invalid mock config: mock\.fleet\.workers/);
  });
});

describe('createMock: the same mock in this process', () => {
  it('listens, serves and closes', async () => {
    const mock = createMock(defaultMockConfig(), { speed: 100, seed: 2 });
    const { url, controlUrl, token } = await mock.listen();
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(`${controlUrl}/state`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await mock.close();
    await expect(fetch(url)).rejects.toThrow();
  });

  it('listens on ::1 when asked', async () => {
    const mock = createMock(defaultMockConfig(), { host: '::1' });
    let address;
    try {
      address = await mock.listen();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') return; // no IPv6 loopback here
      throw err;
    }
    try {
      expect(address.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect(address.controlUrl).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect((await fetch(address.url)).status).toBe(200);
    } finally {
      await mock.close();
    }
  });
});
