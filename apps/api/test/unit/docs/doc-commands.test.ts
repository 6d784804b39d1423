import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { docPages, repoRoot, shellCommands } from '../../support/doc-pages.ts';

// Every command a doc page shows in a shell block (```sh, ```bash, ```shell, ```console) is run by a
// test: this manifest names, per command, the file that runs it, and that file must contain the command
// as written, so renaming it on either side fails here. Commands no test can run here (kubectl, docker,
// openssl recipes, API calls) are shown inline or in ```text / ```http blocks instead.
const manifest = z
  .record(z.string().min(1), z.string().min(1))
  .parse(JSON.parse(readFileSync(path.join(import.meta.dirname, 'doc-commands.json'), 'utf8')));

const shown = docPages().flatMap(({ page, text }) =>
  shellCommands(text).map((command) => ({ page, command })),
);

function manifestEntryFor(command: string): string | undefined {
  return Object.keys(manifest).find((entry) => command === entry || command.startsWith(`${entry} `));
}

describe('commands shown in README.md and docs/*.md', () => {
  it('are found in the pages (the extraction works)', () => {
    expect(shown.length).toBeGreaterThan(0);
  });

  it.each(shown)('$page: `$command` is in the manifest of commands tests run', ({ command }) => {
    expect(
      manifestEntryFor(command),
      `add "${command}" to doc-commands.json with the test that runs it`,
    ).toBeDefined();
  });

  it.each(Object.entries(manifest))('`%s` is run by %s, which names it as written', (command, file) => {
    const absolute = path.join(repoRoot, file);
    expect(existsSync(absolute), `${file} does not exist`).toBe(true);
    expect(readFileSync(absolute, 'utf8')).toContain(command);
  });

  it('lists no command that no page shows any more', () => {
    const used = new Set(shown.map(({ command }) => manifestEntryFor(command)));
    expect(Object.keys(manifest).filter((command) => !used.has(command))).toEqual([]);
  });
});
