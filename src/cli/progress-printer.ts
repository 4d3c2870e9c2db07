// A run's live progress line on stderr: redrawn in place on a TTY, plain periodic lines otherwise (CI logs),
// made safe for the terminal as everything printed (terminal.ts). Apart from terminal.ts, which every
// command loads, so that only the commands that run something load the progress line's rendering.
import type { WriteStream } from 'node:tty';
import { renderProgress } from '../report/text/progress-line.js';
import type { RunProgress } from '../result/progress.js';
import { terminalSafe, type TerminalStyle } from './terminal.js';

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
      this.#stream.write(`\r\x1b[2K${terminalSafe(line)}`);
      this.#drawn = true;
    } else {
      this.#stream.write(`${terminalSafe(line)}\n`);
    }
  }
}

/**
 * A run's live progress line on stderr, after `prefix` (a comparison's or a sweep's label of the run), every
 * `plainEveryMs` when stderr is not a terminal.
 */
export function runProgressPrinter(handle: { progress(): RunProgress | undefined }, style: TerminalStyle, plainEveryMs: number, prefix = ''): ProgressPrinter {
  return new ProgressPrinter(
    process.stderr,
    () => {
      const progress = handle.progress();
      return progress && prefix + renderProgress(progress, { ...style, width: style.width - prefix.length });
    },
    plainEveryMs,
  );
}
