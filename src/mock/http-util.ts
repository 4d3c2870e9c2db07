// Small pieces both HTTP servers share: loopback checks, URLs, and surviving malformed HTTP.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** The mock only listens on loopback: "localhost" means 127.0.0.1. */
export function loopbackHost(host: string | undefined): string {
  const h = host ?? '127.0.0.1';
  if (h === 'localhost') return '127.0.0.1';
  if (h !== '127.0.0.1' && h !== '::1') throw new Error(`the mock listens on loopback only: host must be 127.0.0.1 or ::1, got ${JSON.stringify(h)}`);
  return h;
}

export function urlFor(server: Server): string {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Malformed HTTP gets a 400 and a closed socket; it never reaches the process's error handler. */
export function survivesMalformedHttp(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
}

export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      // Once listening, the only errors left are failed accepts (EMFILE under a flood of connections):
      // the server goes on accepting, and an unhandled 'error' must not take the mock down.
      server.on('error', () => undefined);
      resolve();
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
