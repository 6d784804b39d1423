import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminTestApp } from '../../support/admin.ts';
import { repoRoot } from '../../support/doc-pages.ts';
import type { TestApp } from '../../support/test-app.ts';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** `METHOD /path` for each row of the README's route table, parameters written as `{name}`. */
function readmeRoutes(): string[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  return [...readme.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \|/gm)].map(
    ([, method, route]) => `${method} ${(route as string).replace(/:(\w+)/g, '{$1}')}`,
  );
}

let app: TestApp;
let document: OpenAPIV3_1.Document;
beforeAll(async () => {
  // Every optional area on, so every route exists.
  app = await buildAdminTestApp({ SIMULATOR_ENABLED: 'true' });
  document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
});
afterAll(() => app.close());

describe("the README's route table", () => {
  it('lists every route /docs documents, once, and no other', () => {
    const documented = Object.entries(document.paths ?? {}).flatMap(([route, item]) =>
      METHODS.filter((method) => item?.[method]).map((method) => `${method.toUpperCase()} ${route}`),
    );
    const listed = readmeRoutes();
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...documented].sort());
  });
});
