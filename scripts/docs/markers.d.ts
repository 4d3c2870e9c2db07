// Types of markers.js, for the tests that read the docs through it (test/docs/).
export interface Block {
  kind: 'output' | 'console' | 'mock' | 'include';
  options: { keep?: string[] };
  /** The marker's command(s), one per line. */
  spec: string;
  lines: string[];
  /** Line of the marker in the page, from 1. */
  line: number;
  /** The generated content: text.slice(start, end). */
  start: number;
  end: number;
  /** The fence's opening line (undefined for include). */
  fence: string | undefined;
}
export function findBlocks(text: string, source?: string): Block[];
export function replaceBlocks(text: string, blocks: readonly Block[], outputs: readonly (string | undefined)[]): string;
export function keepParagraphs(output: string, words: readonly string[]): string;
export function sectionOf(text: string, anchor: string, source?: string): string;
export function slug(heading: string): string;
