import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_SECTIONS, ENV_VARIABLES } from '../../../src/config/config-schema.ts';

const root = new URL('../../../../../', import.meta.url);
const example = readFileSync(new URL('.env.example', root), 'utf8');

/** `.env.example`'s variables under each `# --- <title> ---` header, in file order. */
function documentedBySection(): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current = '(before any header)';
  for (const line of example.split('\n')) {
    const header = /^# --- (.+) ---$/.exec(line);
    if (header?.[1]) current = header[1];
    const variable = /^#? ?([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
    if (variable) sections.set(current, [...(sections.get(current) ?? []), variable]);
  }
  return sections;
}

describe('every setting the API reads', () => {
  it('is named by exactly one section', () => {
    expect(ENV_VARIABLES.length).toBeGreaterThan(60);
    expect(new Set(ENV_VARIABLES).size).toBe(ENV_VARIABLES.length);
  });

  it('is documented in .env.example, under the header of its section', () => {
    const documented = documentedBySection();
    for (const { title, env } of Object.values(CONFIG_SECTIONS)) {
      const listed = documented.get(title) ?? [];
      expect([...listed].sort(), `under "# --- ${title} ---"`).toEqual(Object.keys(env.shape).sort());
    }
  });

  it("reaches `pnpm dev` through turbo.json's strict env mode", () => {
    const turbo = JSON.parse(readFileSync(new URL('turbo.json', root), 'utf8')) as {
      tasks: { dev: { passThroughEnv: string[] } };
    };
    const patterns = turbo.tasks.dev.passThroughEnv;
    const passes = (name: string) =>
      patterns.some((pattern) =>
        pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name,
      );
    expect(ENV_VARIABLES.filter((name) => !passes(name))).toEqual([]);
  });
});
