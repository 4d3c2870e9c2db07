// Colour for the terminal report. The CLI decides whether colour is wanted (a TTY, no NO_COLOR, no
// --no-color) and says so in RenderOptions; chalk is given that level explicitly so its own detection
// never leaks in, and with colour off every paint is the identity: no escape sequences at all.
import { stripVTControlCharacters } from 'node:util';
import { Chalk } from 'chalk';

export interface RenderOptions {
  color: boolean;
  /** Terminal columns; everything rendered fits in this many. */
  width: number;
}

export const DEFAULT_WIDTH = 100;

type Paint = (text: string) => string;

/** What the report colours, by meaning rather than by hue. */
export interface Style {
  color: boolean;
  good: Paint;
  bad: Paint;
  warn: Paint;
  dim: Paint;
  strong: Paint;
  heading: Paint;
  accent: Paint;
}

export function createStyle(color: boolean): Style {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  return {
    color,
    good: (t) => chalk.green(t),
    bad: (t) => chalk.red(t),
    warn: (t) => chalk.yellow(t),
    dim: (t) => chalk.dim(t),
    strong: (t) => chalk.bold(t),
    heading: (t) => chalk.bold.underline(t),
    accent: (t) => chalk.cyan(t),
  };
}

/** Columns a string takes on screen (every character the report draws is one column wide). */
export function visibleWidth(text: string): number {
  return [...stripVTControlCharacters(text)].length;
}

export function padEndVisible(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

export function padStartVisible(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - visibleWidth(text))) + text;
}

/** Plain text cut to `width` columns, with an ellipsis when cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 0) return '';
  return `${chars.slice(0, width - 1).join('')}…`;
}

/** Plain text broken at spaces into lines of at most `width` columns (a word longer than that is cut). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const next = line === '' ? word : `${line} ${word}`;
    if ([...next].length <= width) line = next;
    else {
      if (line !== '') lines.push(line);
      line = truncate(word, width);
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A section title followed by a dimmed note, wrapped to the width. */
export function sectionTitle(title: string, note: string, width: number, style: Style): string {
  const lines = wrapText(`${title} ${note}`.trim(), width);
  const first = lines[0] ?? '';
  const rest = first.length > title.length ? first.slice(title.length + 1) : '';
  return [`${style.heading(title)}${rest ? ` ${style.dim(rest)}` : ''}`, ...lines.slice(1).map((l) => style.dim(l))].join('\n');
}
