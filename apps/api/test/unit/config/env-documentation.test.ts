import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.ts';

const root = new URL('../../../../../', import.meta.url);
const variables = Object.keys(configSchema.shape);

describe('every setting the API reads', () => {
  it('is documented in .env.example', () => {
    const example = readFileSync(new URL('.env.example', root), 'utf8');
    const documented = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    expect(variables.filter((name) => !documented.has(name))).toEqual([]);
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
    expect(variables.filter((name) => !passes(name))).toEqual([]);
  });
});
