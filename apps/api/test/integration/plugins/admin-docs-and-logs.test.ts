import { Writable } from 'node:stream';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { adminAuth, TEST_ADMIN_KEY, TEST_SOURCE_SECRETS_KEY } from '../../support/admin.ts';
import { testEnv } from '../../support/test-app.ts';

let app: Awaited<ReturnType<typeof buildApp>>;
const lines: string[] = [];
beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const env = testEnv({
    LOG_LEVEL: 'debug',
    ADMIN_API_KEYS: TEST_ADMIN_KEY,
    SOURCE_SECRETS_KEY: TEST_SOURCE_SECRETS_KEY,
  });
  app = await buildApp(loadConfig(env), { logger: { level: 'debug', stream } });
  await app.ready();
});
afterAll(() => app.close());

let document: OpenAPIV3_1.Document;
describe('admin API documentation', () => {
  it('documents the admin routes with the admin-key scheme in a valid OpenAPI document', async () => {
    document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeDefined();
    const adminPaths = Object.keys(document.paths ?? {}).filter((path) => path.startsWith('/api/v1/admin/'));
    expect(adminPaths.sort()).toEqual([
      '/api/v1/admin/read-keys',
      '/api/v1/admin/read-keys/{keyId}/revoke',
      '/api/v1/admin/sources',
      '/api/v1/admin/sources/reencrypt',
      '/api/v1/admin/sources/{sourceId}',
      '/api/v1/admin/sources/{sourceId}/disable',
      '/api/v1/admin/sources/{sourceId}/enable',
      '/api/v1/admin/sources/{sourceId}/rotate-secret',
    ]);
    expect(document.paths?.['/api/v1/admin/sources']?.post?.security).toEqual([{ adminKey: [] }]);
    // The admin scope gives every operation its tag, scheme and shared answers.
    for (const path of adminPaths) {
      for (const [method, operation] of Object.entries(document.paths?.[path] ?? {})) {
        if (typeof operation !== 'object' || !operation || !('responses' in operation)) continue;
        expect(operation.tags, `${method} ${path}`).toEqual(['admin']);
        expect(operation.security, `${method} ${path}`).toEqual([{ adminKey: [] }]);
        expect(Object.keys(operation.responses ?? {}), `${method} ${path}`).toEqual(
          expect.arrayContaining(['401', '429', '503']),
        );
      }
    }
    const schemas = document.components?.schemas ?? {};
    for (const id of [
      'CreatedVapiSourceResponse',
      'VapiSourceListResponse',
      'RotatedSourceSecretResponse',
      'DeletedVapiSourceResponse',
      'CreatedReadKeyResponse',
      'ReadKeyListResponse',
      'CreateSourceRequest',
      'CreateReadKeyRequest',
    ]) {
      expect(schemas[id], id).toHaveProperty('example');
    }
  });

  it("documents a read key's access level, in the request and in the key", () => {
    const schemas = (document.components?.schemas ?? {}) as Record<
      string,
      { properties?: Record<string, { enum?: string[] }> }
    >;
    expect(schemas.CreateReadKeyRequestInput?.properties?.access?.enum).toEqual(['read', 'read+write']);
    expect(JSON.stringify(schemas.ReadKeyListResponse)).toMatch(
      /"access":\{[^}]*"enum":\["read","read\+write"\]/,
    );
  });
});

describe('admin logging', () => {
  it('never writes a secret, a read key or the admin key to the log', async () => {
    const suppliedSecret = 'supplied-secret-that-must-not-be-logged';
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/sources',
      headers: adminAuth,
      payload: { name: 'logged', verification: { mode: 'secret' }, secret: suppliedSecret },
    });
    expect(created.statusCode).toBe(201);
    const sourceId = created.json().data.id;
    const rotated = await app.inject({
      method: 'POST',
      url: `/api/v1/admin/sources/${sourceId}/rotate-secret`,
      headers: adminAuth,
      payload: { overlapHours: 0 },
    });
    const key = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/read-keys',
      headers: adminAuth,
      payload: { name: 'logged', sourceIds: [sourceId] },
    });
    const log = lines.join('');
    expect(log).toContain('source secret rotated');
    expect(log).toContain('read key created');
    for (const secret of [suppliedSecret, rotated.json().data.secret, key.json().data.key, TEST_ADMIN_KEY]) {
      expect(log).not.toContain(secret);
    }
  });
});
