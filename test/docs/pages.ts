// The docs as the tests see them: every page, its text without code, its links and its anchors.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { slug } from '../../scripts/docs/markers.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** README.md, the other top-level pages, then docs/**\/*.md, as paths relative to the repository. */
export function pages(): string[] {
  const top = ['README.md', 'ARCHITECTURE.md', 'CHANGELOG.md', 'CONTRIBUTING.md'].filter((p) => existsSync(join(ROOT, p)));
  return [...top, ...docsPages()];
}

/** docs/**\/*.md */
export function docsPages(dir = 'docs'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? docsPages(`${dir}/${e.name}`) : e.name.endsWith('.md') ? [`${dir}/${e.name}`] : []));
}

export function read(page: string): string {
  return readFileSync(join(ROOT, page), 'utf8');
}

/** The text with fenced blocks and code spans blanked out: what is left is prose, links included. */
export function prose(text: string): string {
  let open: string | undefined;
  const lines = text.split('\n').map((line) => {
    const fence = /^(```+|~~~+)/.exec(line)?.[1];
    if (fence && open === undefined) {
      open = fence;
      return '';
    }
    if (open !== undefined) {
      if (line.trim() === open) open = undefined;
      return '';
    }
    return line;
  });
  return lines
    .join('\n')
    .replace(/`[^`\n]*`/g, '``')
    .replace(/<!--[\s\S]*?-->/g, '');
}

/** Targets of the Markdown links of a page, as written: "docs/commands.md#flags", "#contents". */
export function links(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

/** The anchors GitHub makes for a page's headings, with -1, -2 for repeats. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const fence = /^(```+|~~~+)/.exec(line)?.[1];
    if (fence && open === undefined) open = fence;
    else if (open !== undefined && line.trim() === open) open = undefined;
    if (open !== undefined || fence) continue;
    const heading = /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    found.add(n === 0 ? base : `${base}-${n}`);
  }
  return found;
}
