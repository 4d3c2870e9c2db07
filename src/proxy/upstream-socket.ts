// The connection to a plain-HTTP upstream: a net.Socket that reads what the upstream has sent before it
// gives up on a write that failed. An upstream may answer before it has read a request's whole body (an
// early 200, a 413) and close at once; its kernel then resets the connection, and the proxy's next write
// of the body fails (ECONNRESET, EPIPE). A net.Socket takes a failed write as the end of the stream both
// ways (its readable side is marked errored and drops what it reads, then it is destroyed), so the answer
// that had already arrived, unread, was lost: the client got a 502 instead of it (the 2026-12-07 audit).
// Here a failed write only ends the writing: the rest is dropped (nobody reads it), the socket reads on
// until the upstream's side ends or resets, so the answer is parsed, and then it closes. nginx gets the
// same by reading an upstream's answer before it writes more to it. Anything else that ends the socket
// (the exchange giving up, the client gone, a read error) closes it at once.
import net from 'node:net';
import type { ClientRequestArgs } from 'node:http';

type WriteCallback = (err?: Error | null) => void;

class UpstreamSocket extends net.Socket {
  #writeFailed = false;

  override _write(chunk: unknown, encoding: BufferEncoding, callback: WriteCallback): void {
    if (this.#writeFailed) return callback();
    super._write(chunk, encoding, this.#guard(callback));
  }

  override _writev(chunks: { chunk: unknown; encoding: BufferEncoding }[], callback: WriteCallback): void {
    if (this.#writeFailed) return callback();
    super._writev!(chunks, this.#guard(callback));
  }

  #guard(callback: WriteCallback): WriteCallback {
    return (err) => {
      if (!err || (err as NodeJS.ErrnoException).syscall !== 'write') return callback(err);
      this.#writeFailed = true;
      // What the upstream sent is read on; the end of it closes the socket (a read error closes it at once).
      if (this.readableEnded) this.destroy();
      else this.once('end', () => this.destroy());
      callback();
    };
  }
}

/** The Agent's `createConnection` for an http: upstream (what net.createConnection does, with the socket above). */
export function connectUpstream(options: ClientRequestArgs): net.Socket {
  const socket = new UpstreamSocket();
  if (options.timeout) socket.setTimeout(options.timeout);
  return socket.connect(options as net.NetConnectOpts);
}
