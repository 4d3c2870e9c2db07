// Every page of the docs is reachable from the README, every relative link leads to a file (and its
// #anchor to a heading there), and every generated block has been generated.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBlocks } from '../../scripts/docs/markers.js';
import { anchors, docsPages, links, pages, read, ROOT } from './pages.js';

/** A link's file, relative to the repository, and its anchor; undefined for links off the site. */
function resolveLink(page: string, target: string): { file: string; anchor: string | undefined } | undefined {
  if (/^[a-z][a-z+.-]*:/i.test(target)) return undefined;
  const [path, anchor] = target.split('#') as [string, string | undefined];
  const file = path === '' ? page : normalize(join(dirname(page), decodeURIComponent(path)));
  return { file: relative('.', file), anchor };
}

describe('the docs', () => {
  it('link every page under docs/, and the top-level pages, from the README', () => {
    const fromReadme = new Set(links(read('README.md')).map((t) => resolveLink('README.md', t)?.file));
    const wanted = [...docsPages(), 'ARCHITECTURE.md', 'CHANGELOG.md', 'CONTRIBUTING.md'];
    expect(wanted.filter((p) => !fromReadme.has(p))).toEqual([]);
  });

  it('have relative links that lead to files, and anchors that lead to headings', () => {
    const broken: string[] = [];
    for (const page of pages()) {
      for (const target of links(read(page))) {
        const link = resolveLink(page, target);
        if (!link) continue;
        const path = join(ROOT, link.file);
        if (!existsSync(path)) {
          broken.push(`${page}: ${target} (no file ${link.file})`);
          continue;
        }
        if (link.anchor !== undefined && statSync(path).isFile() && link.file.endsWith('.md') && !anchors(read(link.file)).has(link.anchor)) {
          broken.push(`${page}: ${target} (no heading #${link.anchor} in ${link.file})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('have every marked output generated (npm run docs), each marker followed by its block', () => {
    const empty: string[] = [];
    for (const page of pages()) {
      const text = read(page);
      for (const block of findBlocks(text, page)) {
        if (text.slice(block.start, block.end).trim() === '') empty.push(`${page}:${block.line} ${block.kind}: ${block.lines[0]}`);
      }
    }
    expect(empty).toEqual([]);
  });

  it('keep the README short and its two set-up commands as they were', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm install && npx incident-load ramp');
    expect(readme).toContain('npm install && npm test');
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
  });
});
