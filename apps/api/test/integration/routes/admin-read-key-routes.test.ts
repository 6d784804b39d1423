import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveReadKey } from '../../../src/services/read-key-service.ts';
import { adminAuth, buildAdminTestApp, createTestSource, serviceClient } from '../../support/admin.ts';
import { queryDb } from '../../support/database.ts';
import type { TestApp } from '../../support/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildAdminTestApp();
});
afterAll(() => app.close());

const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, headers: adminAuth, ...(payload === undefined ? {} : { payload }) });

async function createKey(body: Record<string, unknown>) {
  const response = await admin('POST', '/api/v1/admin/read-keys', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data as { id: string; key: string; prefix: string } & Record<string, unknown>;
}

describe('read keys', () => {
  it('answers the key once, stores only its hash, and lists it without the key', async () => {
    const source = await createTestSource(app);
    const created = await createKey({
      name: 'Acme Kestra',
      sourceIds: [source.id],
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(created).toMatchObject({
      name: 'Acme Kestra',
      sourceIds: [source.id],
      access: 'read',
      state: 'active',
      expiresAt: '2099-01-01T00:00:00.000Z',
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(created.key).toMatch(/^cbk_/);
    expect(created.prefix).toBe(created.key.slice(0, 12));

    const [row] = await queryDb('select * from api_read_keys where id = $1', [created.id]);
    // Written out here, not with lib/credentials.ts: the hex SHA-256 of the key, never the key.
    expect(row?.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.key);

    const list = await admin('GET', '/api/v1/admin/read-keys');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(created.key);
    const { key, ...listed } = created;
    expect(list.json().data).toContainEqual(listed);
  });

  it('refuses unknown sources, an empty scope and a past expiry', async () => {
    const source = await createTestSource(app);
    const unknownId = crypto.randomUUID();
    const unknown = await admin('POST', '/api/v1/admin/read-keys', {
      name: 'k',
      sourceIds: [source.id, unknownId],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain(unknownId);
    expect((await admin('POST', '/api/v1/admin/read-keys', { name: 'k', sourceIds: [] })).statusCode).toBe(
      400,
    );
    const past = await admin('POST', '/api/v1/admin/read-keys', {
      name: 'k',
      sourceIds: [source.id],
      expiresAt: '2020-01-01T00:00:00Z',
    });
    expect(past.statusCode).toBe(400);
    const badAccess = await admin('POST', '/api/v1/admin/read-keys', {
      name: 'k',
      sourceIds: [source.id],
      access: 'write',
    });
    expect(badAccess.statusCode).toBe(400);
    expect(badAccess.json().message).toContain('access');
  });

  it('issues read+write keys on request, which resolve as allowed to write', async () => {
    const db = serviceClient();
    const source = await createTestSource(app);
    const created = await createKey({ name: 'replayer', sourceIds: [source.id], access: 'read+write' });
    expect(created.access).toBe('read+write');
    const [row] = await queryDb<{ access: string }>('select access from api_read_keys where id = $1', [
      created.id,
    ]);
    expect(row?.access).toBe('read+write');
    expect(await resolveReadKey(db, created.key, new Date())).toEqual({
      keyId: created.id,
      sourceIds: [source.id],
      mayWrite: true,
    });
  });

  it('revokes a key, which then resolves to nothing', async () => {
    const db = serviceClient();
    const source = await createTestSource(app);
    const created = await createKey({ name: 'to revoke', sourceIds: [source.id] });
    expect(await resolveReadKey(db, created.key, new Date())).toEqual({
      keyId: created.id,
      sourceIds: [source.id],
      mayWrite: false,
    });

    const revoked = await admin('POST', `/api/v1/admin/read-keys/${created.id}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().data).toMatchObject({
      id: created.id,
      state: 'revoked',
      revokedAt: expect.any(String),
    });
    expect(await resolveReadKey(db, created.key, new Date())).toBeNull();
    const again = await admin('POST', `/api/v1/admin/read-keys/${created.id}/revoke`);
    expect(again.json().data.revokedAt).toBe(revoked.json().data.revokedAt);
    expect((await admin('POST', `/api/v1/admin/read-keys/${crypto.randomUUID()}/revoke`)).statusCode).toBe(
      404,
    );
  });
});

describe('resolveReadKey', () => {
  it('answers the scope of a valid key and null for an unknown, expired or non-read key', async () => {
    const db = serviceClient();
    const [a, b] = [await createTestSource(app), await createTestSource(app)];
    const expiresAt = '2099-06-01T00:00:00.000Z';
    const created = await createKey({ name: 'scoped', sourceIds: [a.id, b.id], expiresAt });
    expect(await resolveReadKey(db, created.key, new Date())).toEqual({
      keyId: created.id,
      sourceIds: [a.id, b.id],
      mayWrite: false,
    });
    expect(await resolveReadKey(db, created.key, new Date(expiresAt))).toBeNull();
    expect(await resolveReadKey(db, `${created.key}x`, new Date())).toBeNull();
    expect(await resolveReadKey(db, 'cb_test_key_5f1e2d3c4b5a6978', new Date())).toBeNull();
  });

  it('writes last_used_at at most once a minute', async () => {
    const db = serviceClient();
    const source = await createTestSource(app);
    const created = await createKey({ name: 'touched', sourceIds: [source.id] });
    const lastUsed = async () =>
      (
        await queryDb<{ last_used_at: Date | null }>('select last_used_at from api_read_keys where id = $1', [
          created.id,
        ])
      )[0]?.last_used_at?.toISOString() ?? null;
    const t0 = new Date('2030-01-01T00:00:00.000Z');
    await resolveReadKey(db, created.key, t0);
    expect(await lastUsed()).toBe(t0.toISOString());
    await resolveReadKey(db, created.key, new Date(t0.getTime() + 59_000));
    expect(await lastUsed()).toBe(t0.toISOString());
    const t1 = new Date(t0.getTime() + 61_000);
    await resolveReadKey(db, created.key, t1);
    expect(await lastUsed()).toBe(t1.toISOString());
  });

  it('takes a deleted source out of scopes, revoking a key scoped to it alone', async () => {
    const db = serviceClient();
    const [a, b] = [await createTestSource(app), await createTestSource(app)];
    const both = await createKey({ name: 'both', sourceIds: [a.id, b.id] });
    const onlyA = await createKey({ name: 'only a', sourceIds: [a.id] });
    const deleted = await admin('DELETE', `/api/v1/admin/sources/${a.id}?confirm=${a.id}`);
    expect(deleted.statusCode).toBe(200);
    expect(await resolveReadKey(db, both.key, new Date())).toEqual({
      keyId: both.id,
      sourceIds: [b.id],
      mayWrite: false,
    });
    expect(await resolveReadKey(db, onlyA.key, new Date())).toBeNull();
  });
});
