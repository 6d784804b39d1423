import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findActiveSourceVerification } from '../../../src/services/source-service.ts';
import {
  adminAuth,
  buildAdminTestApp,
  createTestSource,
  serviceClient,
  testSecretBox,
} from '../../support/admin.ts';
import { queryDb } from '../../support/database.ts';
import { buildTestApp, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId } from '../../support/vapi-fixtures.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildAdminTestApp({ PUBLIC_BASE_URL: 'https://callbridge.example.com/' });
});
afterAll(() => app.close());

const admin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, headers: adminAuth, ...(payload === undefined ? {} : { payload }) });

describe('creating and reading sources', () => {
  it('answers the source, its webhook URL and its secret once; get and list show it without the secret', async () => {
    const created = await admin('POST', '/api/v1/admin/sources', { name: 'Acme org' });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const source = created.json().data;
    expect(source).toMatchObject({
      name: 'Acme org',
      active: true,
      callCount: 0,
      lastDeliveryAt: null,
      verification: {
        mode: 'hmac',
        algorithm: 'sha256',
        signatureHeader: 'x-signature',
        toleranceSeconds: 300,
      },
      webhookUrl: `https://callbridge.example.com/api/v1/vapi/sources/${source.id}/webhook`,
    });
    expect(Buffer.from(source.secret, 'base64')).toHaveLength(32);

    const got = await admin('GET', `/api/v1/admin/sources/${source.id}`);
    expect(got.statusCode).toBe(200);
    const { secret, ...withoutSecret } = source;
    expect(got.json().data).toEqual(withoutSecret);
    expect(got.body).not.toContain(secret);

    const list = await admin('GET', '/api/v1/admin/sources');
    expect(list.statusCode).toBe(200);
    expect(list.json().data).toContainEqual(withoutSecret);
    expect(list.body).not.toContain(secret);
  });

  it('uses the request origin when PUBLIC_BASE_URL is unset', async () => {
    const plain = await buildAdminTestApp();
    try {
      const source = await createTestSource(plain);
      expect(source.webhookUrl).toBe(`http://localhost:80/api/v1/vapi/sources/${source.id}/webhook`);
    } finally {
      await plain.close();
    }
  });

  it('keeps a supplied secret, and stores it only encrypted', async () => {
    const secret = 'my-own-vapi-credential-secret-123';
    const source = await createTestSource(app, { verification: { mode: 'secret' }, secret });
    expect(source.secret).toBe(secret);
    const rows = await queryDb('select * from vapi_source_secrets where source_id = $1', [source.id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(JSON.stringify(rows)).not.toContain(Buffer.from(secret).toString('base64'));
    expect(rows[0]?.encrypted_secret).toMatch(/^v1\./);
    const sourceRow = await queryDb('select * from vapi_sources where id = $1', [source.id]);
    expect(JSON.stringify(sourceRow)).not.toContain(secret);
  });

  it('refuses bad settings, a non-base64 secret for a base64 credential, and unknown ids', async () => {
    const bad = await admin('POST', '/api/v1/admin/sources', { name: 'x', verification: { mode: 'none' } });
    expect(bad.statusCode).toBe(400);
    const notBase64 = await admin('POST', '/api/v1/admin/sources', {
      name: 'x',
      verification: { mode: 'hmac', secretIsBase64: true },
      secret: 'not base64 but long!!',
    });
    expect(notBase64.statusCode).toBe(400);
    expect((await admin('GET', `/api/v1/admin/sources/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await admin('GET', '/api/v1/admin/sources/not-a-uuid')).statusCode).toBe(400);
  });

  it('updates name and verification settings but not the secret', async () => {
    const source = await createTestSource(app);
    const before = await queryDb('select encrypted_secret from vapi_source_secrets where source_id = $1', [
      source.id,
    ]);
    const updated = await admin('PATCH', `/api/v1/admin/sources/${source.id}`, {
      name: 'Renamed',
      verification: { mode: 'hmac', signatureHeader: 'x-vapi-signature', toleranceSeconds: 600 },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().data).toMatchObject({
      name: 'Renamed',
      verification: {
        mode: 'hmac',
        signatureHeader: 'x-vapi-signature',
        toleranceSeconds: 600,
        algorithm: 'sha256',
      },
    });
    expect(updated.body).not.toContain(source.secret);
    const after = await queryDb('select encrypted_secret from vapi_source_secrets where source_id = $1', [
      source.id,
    ]);
    expect(after).toEqual(before);
    expect((await admin('PATCH', `/api/v1/admin/sources/${source.id}`, {})).statusCode).toBe(400);
    expect(
      (await admin('PATCH', `/api/v1/admin/sources/${source.id}`, { name: 'x', secret: 'abcdefghijklmnopq' }))
        .statusCode,
    ).toBe(400);
  });
});

describe('a source whose HMAC checks a timestamp it does not sign', () => {
  it('is refused on create and on update, naming the field and the fix', async () => {
    const unsigned = { mode: 'hmac', payloadFormat: '{body}' };
    const created = await admin('POST', '/api/v1/admin/sources', { name: 'x', verification: unsigned });
    expect(created.statusCode).toBe(400);
    expect(created.json().message).toMatch(
      /verification\.payloadFormat.*checks the timestamp header for freshness without signing it.*add \{timestamp\}/,
    );
    const source = await createTestSource(app);
    const updated = await admin('PATCH', `/api/v1/admin/sources/${source.id}`, { verification: unsigned });
    expect(updated.statusCode).toBe(400);
    const [row] = await queryDb<{ verification: Record<string, unknown> }>(
      'select verification from vapi_sources where id = $1',
      [source.id],
    );
    expect(row?.verification.payloadFormat).toBeUndefined();
  });

  it('accepts the timestamp signed, or no timestamp at all', async () => {
    const signed = await createTestSource(app, {
      verification: { mode: 'hmac', payloadFormat: '{timestamp}:{body}' },
    });
    expect(signed.verification).toMatchObject({ payloadFormat: '{timestamp}:{body}' });
    const none = await createTestSource(app, {
      verification: { mode: 'hmac', includeTimestamp: false, payloadFormat: '{body}' },
    });
    expect(none.verification).toMatchObject({ includeTimestamp: false });
  });
});

describe("a source's Kestra tenants", () => {
  it('keeps the tenants given, deduplicated; null takes them back to KESTRA_TENANT only', async () => {
    const source = await createTestSource(app, { kestraTenants: ['acme', 'acme-eu', 'acme'] });
    expect(source.kestraTenants).toEqual(['acme', 'acme-eu']);
    const cleared = await admin('PATCH', `/api/v1/admin/sources/${source.id}`, { kestraTenants: null });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().data.kestraTenants).toBeNull();
    expect(await queryDb('select kestra_tenants from vapi_sources where id = $1', [source.id])).toEqual([
      { kestra_tenants: null },
    ]);
  });

  it.each([
    ['a parent segment', ['../main']],
    ['a slash', ['a/b']],
    ['an encoded dot', ['%2e%2e']],
    ['a blank', ['']],
    ['an empty list', []],
  ])('answers 400 to tenants that are not Kestra ids: %s', async (_label, kestraTenants) => {
    const created = await admin('POST', '/api/v1/admin/sources', { name: 'bad tenants', kestraTenants });
    expect(created.statusCode).toBe(400);
    expect(created.json().message).toContain('kestraTenants');
    const source = await createTestSource(app);
    const updated = await admin('PATCH', `/api/v1/admin/sources/${source.id}`, { kestraTenants });
    expect(updated.statusCode).toBe(400);
  });
});

describe('rotating a source secret', () => {
  it('keeps the old secret valid during the overlap and answers the new one once', async () => {
    const db = serviceClient();
    const box = testSecretBox();
    const source = await createTestSource(app, { verification: { mode: 'bearer' } });
    const rotated = await admin('POST', `/api/v1/admin/sources/${source.id}/rotate-secret`, {});
    expect(rotated.statusCode).toBe(200);
    const { secret: newSecret, previousSecretsExpireAt } = rotated.json().data;
    expect(newSecret).not.toBe(source.secret);
    const overlapMs = Date.parse(previousSecretsExpireAt) - Date.now();
    expect(overlapMs).toBeGreaterThan(23.9 * 3600_000);
    expect(overlapMs).toBeLessThanOrEqual(24 * 3600_000);

    const now = new Date();
    expect(await findActiveSourceVerification(db, box, source.id, now)).toEqual({
      mode: 'bearer',
      headerName: 'Authorization',
      prefixEnabled: true,
      tokens: [newSecret, source.secret],
      relayUrl: null,
    });
    const afterOverlap = new Date(Date.parse(previousSecretsExpireAt) + 1000);
    expect(await findActiveSourceVerification(db, box, source.id, afterOverlap)).toEqual({
      mode: 'bearer',
      headerName: 'Authorization',
      prefixEnabled: true,
      tokens: [newSecret],
      relayUrl: null,
    });
    const got = await admin('GET', `/api/v1/admin/sources/${source.id}`);
    expect(got.body).not.toContain(newSecret);
  });

  it('revokes the previous secrets at once with overlapHours 0', async () => {
    const db = serviceClient();
    const source = await createTestSource(app, { verification: { mode: 'secret' } });
    await admin('POST', `/api/v1/admin/sources/${source.id}/rotate-secret`, {});
    const last = await admin('POST', `/api/v1/admin/sources/${source.id}/rotate-secret`, {
      overlapHours: 0,
      secret: 'chosen-replacement-secret-42',
    });
    expect(last.statusCode).toBe(200);
    expect(last.json().data.secret).toBe('chosen-replacement-secret-42');
    const settings = await findActiveSourceVerification(
      db,
      testSecretBox(),
      source.id,
      new Date(Date.now() + 1),
    );
    expect(settings).toEqual({
      mode: 'secret',
      headerName: 'x-vapi-secret',
      relayUrl: null,
      secrets: ['chosen-replacement-secret-42'],
    });
    const rows = await queryDb('select encrypted_secret from vapi_source_secrets where source_id = $1', [
      source.id,
    ]);
    expect(rows).toHaveLength(3);
    expect(JSON.stringify(rows)).not.toContain('chosen-replacement-secret-42');
  });

  it('answers 404 for an unknown source and 400 for a negative overlap', async () => {
    const unknown = await admin('POST', `/api/v1/admin/sources/${crypto.randomUUID()}/rotate-secret`, {});
    expect(unknown.statusCode).toBe(404);
    const source = await createTestSource(app);
    const negative = await admin('POST', `/api/v1/admin/sources/${source.id}/rotate-secret`, {
      overlapHours: -1,
    });
    expect(negative.statusCode).toBe(400);
  });
});

describe('disabling and enabling a source', () => {
  it('makes its verification unavailable while disabled', async () => {
    const db = serviceClient();
    const source = await createTestSource(app);
    const disabled = await admin('POST', `/api/v1/admin/sources/${source.id}/disable`);
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().data.active).toBe(false);
    expect(await findActiveSourceVerification(db, testSecretBox(), source.id, new Date())).toBeNull();
    const enabled = await admin('POST', `/api/v1/admin/sources/${source.id}/enable`);
    expect(enabled.json().data.active).toBe(true);
    expect(await findActiveSourceVerification(db, testSecretBox(), source.id, new Date())).toMatchObject({
      mode: 'hmac',
      keys: [Buffer.from(source.secret)],
    });
    expect(
      await findActiveSourceVerification(db, testSecretBox(), crypto.randomUUID(), new Date()),
    ).toBeNull();
    expect(await findActiveSourceVerification(db, testSecretBox(), 'not-a-uuid', new Date())).toBeNull();
  });
});

describe('deleting a source', () => {
  async function seedCall(sourceId: string | null, received: string) {
    const callId = uniqueCallId('source-delete');
    await queryDb('insert into vapi_call_results (call_id, status, source_id) values ($1, $2, $3)', [
      callId,
      'ended',
      sourceId,
    ]);
    await queryDb(
      `insert into vapi_webhook_events (call_id, event_type, outcome, payload_bytes, received_at, source_id)
       values ($1, 'status-update', 'stored', 10, $2, $3), ($1, 'end-of-call-report', 'stored', 10, $2, $3)`,
      [callId, received, sourceId],
    );
    await queryDb(`insert into kestra_push_outbox (call_id, execution_id) values ($1, 'exec-' || $1)`, [
      callId,
    ]);
    return callId;
  }

  it('refuses without the confirmation, then removes its calls, deliveries and pushes and nothing else', async () => {
    const doomed = await createTestSource(app);
    const kept = await createTestSource(app);
    const doomedCalls = [
      await seedCall(doomed.id, '2026-11-24T10:00:00Z'),
      await seedCall(doomed.id, '2026-11-24T11:00:00Z'),
    ];
    const keptCall = await seedCall(kept.id, '2026-11-24T10:00:00Z');
    const defaultCall = await seedCall(null, '2026-11-24T10:00:00Z');

    const listed = await admin('GET', `/api/v1/admin/sources/${doomed.id}`);
    expect(listed.json().data).toMatchObject({ callCount: 2, lastDeliveryAt: '2026-11-24T11:00:00.000Z' });

    const unconfirmed = await admin('DELETE', `/api/v1/admin/sources/${doomed.id}`);
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.json().message).toContain(`?confirm=${doomed.id}`);
    const wrong = await admin('DELETE', `/api/v1/admin/sources/${doomed.id}?confirm=${kept.id}`);
    expect(wrong.statusCode).toBe(400);
    expect(await queryDb('select 1 from vapi_call_results where source_id = $1', [doomed.id])).toHaveLength(
      2,
    );

    const deleted = await admin('DELETE', `/api/v1/admin/sources/${doomed.id}?confirm=${doomed.id}`);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json().data).toEqual({ sourceId: doomed.id, deletedCalls: 2, deletedEvents: 4 });

    const remaining = async (callId: string) => ({
      calls: (await queryDb('select 1 from vapi_call_results where call_id = $1', [callId])).length,
      events: (await queryDb('select 1 from vapi_webhook_events where call_id = $1', [callId])).length,
      pushes: (await queryDb('select 1 from kestra_push_outbox where call_id = $1', [callId])).length,
    });
    for (const callId of doomedCalls)
      expect(await remaining(callId)).toEqual({ calls: 0, events: 0, pushes: 0 });
    expect(await remaining(keptCall)).toEqual({ calls: 1, events: 2, pushes: 1 });
    expect(await remaining(defaultCall)).toEqual({ calls: 1, events: 2, pushes: 1 });
    expect(await queryDb('select 1 from vapi_source_secrets where source_id = $1', [doomed.id])).toHaveLength(
      0,
    );
    expect((await admin('GET', `/api/v1/admin/sources/${doomed.id}`)).statusCode).toBe(404);
    expect(
      (await admin('DELETE', `/api/v1/admin/sources/${doomed.id}?confirm=${doomed.id}`)).statusCode,
    ).toBe(404);
    expect((await admin('GET', `/api/v1/admin/sources/${kept.id}`)).json().data.callCount).toBe(1);
  });
});

describe('admin authentication', () => {
  it('refuses a missing key, an API_KEYS key and a read key with 401', async () => {
    const source = await createTestSource(app);
    const readKey = (
      await admin('POST', '/api/v1/admin/read-keys', { name: 'scoped', sourceIds: [source.id] })
    ).json().data.key as string;
    for (const headers of [
      {},
      { authorization: `Bearer ${TEST_API_KEY}` },
      { authorization: `Bearer ${readKey}` },
    ]) {
      for (const [method, url] of [
        ['GET', '/api/v1/admin/sources'],
        ['POST', '/api/v1/admin/sources'],
        ['GET', '/api/v1/admin/read-keys'],
        ['POST', '/api/v1/admin/sources/reencrypt'],
      ] as const) {
        const response = await app.inject({
          method,
          url,
          headers,
          payload: method === 'POST' ? {} : undefined,
        });
        expect(response.statusCode, `${method} ${url}`).toBe(401);
        expect(response.json()).toEqual({
          success: false,
          error: 'Unauthorized',
          message: 'Missing or invalid admin key',
        });
      }
    }
  });

  it('has no admin routes without ADMIN_API_KEYS', async () => {
    const plain = await buildTestApp();
    try {
      const response = await plain.inject({
        method: 'GET',
        url: '/api/v1/admin/sources',
        headers: adminAuth,
      });
      expect(response.statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
