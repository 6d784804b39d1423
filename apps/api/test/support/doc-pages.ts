import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../../../..');

/** README.md and every docs/*.md, as repo-relative paths with their text. */
export function docPages(): { page: string; text: string }[] {
  const pages = [
    'README.md',
    ...readdirSync(path.join(repoRoot, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  return pages.map((page) => ({ page, text: readFileSync(path.join(repoRoot, page), 'utf8') }));
}

const SHELL = new Set(['sh', 'bash', 'shell', 'zsh', 'console']);

/**
 * Every command line of the page's fenced shell blocks: continuations joined, comments and (in
 * `console` blocks) output lines dropped, a `$ ` prompt and leading `NAME=value` assignments removed.
 */
export function shellCommands(text: string): string[] {
  const commands: string[] = [];
  let language: string | null = null;
  let pending = '';
  for (const line of text.split('\n')) {
    const fence = /^\s*(```|~~~)\s*([\w-]*)/.exec(line);
    if (fence) {
      language = language === null ? (fence[2] ?? '') : null;
      continue;
    }
    if (language === null || !SHELL.has(language)) continue;
    let command = pending + line.trim();
    if (command.endsWith('\\')) {
      pending = `${command.slice(0, -1).trim()} `;
      continue;
    }
    pending = '';
    if (language === 'console') {
      if (!command.startsWith('$ ')) continue;
      command = command.slice(2);
    }
    command = command
      .replace(/(^|\s)#.*$/, '')
      .replace(/^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)+/, '')
      .trim();
    if (command) commands.push(command);
  }
  return commands;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}
