// Small readers of rendered text for the report tests.
import { stripVTControlCharacters } from 'node:util';

export const ANSI = /\x1b\[/;

export function lines(text: string): string[] {
  return stripVTControlCharacters(text).split('\n');
}

/** Widest line in columns (every character the report draws is one column). */
export function widest(text: string): number {
  return Math.max(...lines(text).map((l) => [...l].length));
}

/** The cells of a table row split on runs of two or more spaces. */
export function cells(line: string): string[] {
  return line.trim().split(/\s{2,}/);
}
