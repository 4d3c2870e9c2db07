// What the terminal can show: colour only on a TTY and never with NO_COLOR (https://no-color.org) or
// --no-color; progress redrawn in place on a TTY, plain periodic lines otherwise (CI logs:
// progress-printer.ts); and nothing that could take the terminal over. Names and text come from profiles
// and saved results, which anyone can write: an escape in them could set the window title, clear the
// screen or fake a link, so everything the CLI prints goes through terminalSafe(), which keeps only text,
// newlines, tabs and the colour codes the report itself uses.
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

// One pass, left to right: colour codes (SGR: ESC [ digits ; ... m) are kept; removed are Operating System
// Commands with their payload (title, hyperlinks, clipboard: ESC ] ... BEL or ST), every other control
// sequence (ESC [ ... final), any other escape, control characters (C0 but newline and tab; DEL; C1) and
// bidirectional overrides (which make text read other than it is).
const UNSAFE =
  /(\u001b\[[\d;]*m)|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b\[[0-?]*[ -/]*[@-~]?|\u001b[@-_]?|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The text with every control character and escape sequence removed, but newlines, tabs and colours. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (_match, colour: string | undefined) => colour ?? '');
}

/** Writes text the CLI made, made safe for a terminal (see terminalSafe). */
export function print(stream: NodeJS.WritableStream, text: string): void {
  stream.write(terminalSafe(text));
}
