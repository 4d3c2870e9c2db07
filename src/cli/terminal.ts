// What the terminal can show: colour only on a TTY and never with NO_COLOR (https://no-color.org) or
// --no-color; progress redrawn in place on a TTY, plain periodic lines otherwise (CI logs).
import type { WriteStream } from 'node:tty';

export interface TerminalStyle {
  color: boolean;
  width: number;
}

export function terminalStyle(stream: NodeJS.WriteStream, colorFlag: boolean): TerminalStyle {
  const isTty = Boolean((stream as WriteStream).isTTY);
  const noColorEnv = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return { color: isTty && colorFlag && !noColorEnv, width: Math.max(60, Math.min(160, (stream as WriteStream).columns || 100)) };
}

/** Calls `render` periodically and shows the line: in place on a TTY, as log lines otherwise. */
export class ProgressPrinter {
  #timer: NodeJS.Timeout | undefined;
  #stream: NodeJS.WriteStream;
  #tty: boolean;
  #drawn = false;

  constructor(stream: NodeJS.WriteStream, render: () => string | undefined, plainEveryMs: number) {
    this.#stream = stream;
    this.#tty = Boolean((stream as WriteStream).isTTY);
    const every = this.#tty ? 250 : plainEveryMs;
    this.#timer = setInterval(() => this.#show(render()), every);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#tty && this.#drawn) this.#stream.write('\r\x1b[2K');
  }

  #show(line: string | undefined): void {
    if (line === undefined) return;
    if (this.#tty) {
      this.#stream.write(`\r\x1b[2K${line}`);
      this.#drawn = true;
    } else {
      this.#stream.write(`${line}\n`);
    }
  }
}
