// The start barrier, server and clients in this process on loopback: n registrations get one start, a
// little ahead; a missing segment ends every wait at the timeout with its index named; another run's
// segment and a wrong token are refused; a client started before the server waits for it.
import { afterEach, describe, expect, it } from 'vitest';
import { registerAtBarrier } from '../../../src/run/barrier/client.js';
import { BarrierServer } from '../../../src/run/barrier/server.js';

const TOKEN = 'barrier-token-for-tests-0123456789';
const RUN = 'r'.repeat(32);
let servers: BarrierServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(count: number, timeoutMs: number, port = 0): Promise<{ server: BarrierServer; address: string }> {
  const server = new BarrierServer({
    run: RUN,
    count,
    token: TOKEN,
    host: '127.0.0.1',
    remote: false,
    port,
    timeoutMs,
    timeoutLabel: `${timeoutMs}ms`,
    marginMs: 500,
  });
  servers.push(server);
  return { server, address: await server.listen() };
}

describe('start barrier', () => {
  it('releases every segment at one start, once all n are in, a margin ahead', async () => {
    const { server, address } = await serve(3, 10_000);
    server.arrive(0);
    const before = Date.now();
    const [one, two] = await Promise.all([1, 2].map((index) => registerAtBarrier(address, TOKEN, { run: RUN, index, count: 3 }, 10_000)));
    const own = await server.released;
    expect(one).toEqual(own);
    expect(two).toEqual(own);
    expect(own.startAtMs).toBeGreaterThanOrEqual(before + 500);
    expect(new Date(own.startAt).getTime()).toBe(own.startAtMs);
    // A segment that reconnects after the release gets the same start at once.
    expect(await registerAtBarrier(address, TOKEN, { run: RUN, index: 1, count: 3 }, 1_000)).toEqual(own);
  });

  it('gives up at its timeout, naming the segments that never came, to segment 0 and to every one waiting', async () => {
    const { server, address } = await serve(4, 300);
    server.arrive(0);
    const waiting = registerAtBarrier(address, TOKEN, { run: RUN, index: 2, count: 4 }, 10_000);
    await expect(waiting).rejects.toThrow(/segments 1, 3 of 4 did not reach the start barrier within 300ms/);
    await expect(server.released).rejects.toMatchObject({ missing: [1, 3] });
  });

  it('refuses a segment of another run, a wrong token and a segment out of range, at once', async () => {
    const { address } = await serve(2, 10_000);
    await expect(registerAtBarrier(address, TOKEN, { run: 'x'.repeat(32), index: 1, count: 2 }, 5_000)).rejects.toThrow(/segment 1 is of another run/);
    await expect(registerAtBarrier(address, 'another-token-0123456789', { run: RUN, index: 1, count: 2 }, 5_000)).rejects.toThrow(/missing or wrong token/);
    await expect(registerAtBarrier(address, TOKEN, { run: RUN, index: 5, count: 2 }, 5_000)).rejects.toThrow(
      /segment 5 of 2 is not one of this run's 2 segments/,
    );
  });

  it('waits for a segment 0 that is not up yet, and says so when it never comes', async () => {
    // A port nobody listens on (one the OS gave and took back), then a server on it a little later.
    const { server: probe, address } = await serve(1, 10_000);
    await probe.close();
    const port = Number(address.split(':')[1]);
    const early = registerAtBarrier(address, TOKEN, { run: RUN, index: 1, count: 2 }, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const { server } = await serve(2, 10_000, port);
    server.arrive(0);
    expect((await early).startAtMs).toBe((await server.released).startAtMs);
    const { server: gone, address: nobody } = await serve(1, 10_000);
    await gone.close();
    await expect(registerAtBarrier(nobody, TOKEN, { run: RUN, index: 1, count: 2 }, 600)).rejects.toThrow(
      /did not answer within 600ms .*segment 0, which serves it, never started/,
    );
  });
});
