import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { docPages, headingAnchor, repoRoot } from '../../support/doc-pages.ts';

/** The anchors a page's headings make (outside code blocks). */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  let inCode = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inCode = !inCode;
    const heading = inCode ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (heading?.[1]) anchors.add(headingAnchor(heading[1]));
  }
  return anchors;
}

const links = docPages().flatMap(({ page, text }) =>
  [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] as string)
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((target) => ({ page, target })),
);

describe('relative links in README.md and docs/*.md', () => {
  it.each(links)('$page → $target resolves', ({ page, target }) => {
    const [file = '', anchor] = target.split('#');
    const resolved = file ? path.resolve(repoRoot, path.dirname(page), file) : path.join(repoRoot, page);
    expect(existsSync(resolved), `${resolved} does not exist`).toBe(true);
    if (anchor && resolved.endsWith('.md')) {
      expect([...anchorsOf(readFileSync(resolved, 'utf8'))]).toContain(anchor);
    }
  });
});
