import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminAuth,
  buildAdminTestApp,
  createScopedReadKey,
  createTestSource,
  TEST_ADMIN_KEY,
} from '../../support/admin.ts';
import { queryDb } from '../../support/database.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

let app: TestApp;
beforeAll(async () => {
  // Caching off: these tests disable and rotate, then expect the next delivery to see it.
  app = await buildAdminTestApp({ WEBHOOK_SOURCE_CACHE_MS: '0', READ_KEY_CACHE_MS: '0' });
});
afterAll(() => app.close());

const sourceUrl = (sourceId: string) => `/api/v1/vapi/sources/${sourceId}/webhook`;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

function postToSource(sourceId: string, secret: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return app.inject({
    method: 'POST',
    url: sourceUrl(sourceId),
    payload: body,
    headers: vapiHmacHeaders(body, { secret }),
  });
}

const createKeyWithId = (sourceIds: string[], access: 'read' | 'read+write' = 'read') =>
  createScopedReadKey(app, sourceIds, access);
const createKey = async (sourceIds: string[], access: 'read' | 'read+write' = 'read') =>
  (await createKeyWithId(sourceIds, access)).key;

const read = (key: string, url: string) => app.inject({ method: 'GET', url, headers: bearer(key) });
const rowCount = async (sql: string, params: unknown[]) => (await queryDb(sql, params)).length;

describe('a source with its own URL and a key scoped to it', () => {
  it('stores a delivery under its source and shows it only to keys that may see that source', async () => {
    const source = await createTestSource(app);
    const other = await createTestSource(app);
    const keyA = await createKey([source.id]);
    const keyB = await createKey([other.id]);
    const callId = uniqueCallId('scoped');

    const delivered = await postToSource(source.id, source.secret, vapiFixture('end-of-call-report', callId));
    expect(delivered.statusCode).toBe(200);
    expect(await queryDb('select source_id from vapi_call_results where call_id = $1', [callId])).toEqual([
      { source_id: source.id },
    ]);

    const own = await read(keyA, `/api/v1/vapi/calls/${callId}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().data.callId).toBe(callId);
    expect((await read(TEST_API_KEY, `/api/v1/vapi/calls/${callId}`)).statusCode).toBe(200);

    // Exactly the answer for a call nobody ever delivered, with the id swapped.
    const hidden = await read(keyB, `/api/v1/vapi/calls/${callId}`);
    const missingId = uniqueCallId('never');
    const missing = await read(keyB, `/api/v1/vapi/calls/${missingId}`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.body).toBe(missing.body.replaceAll(missingId, callId));
    expect((await read(keyB, `/api/v1/vapi/calls/${callId}?wait=1`)).statusCode).toBe(404);

    const history = (key: string) => read(key, '/api/v1/vapi/calls/by-phone/+15555550100?limit=100');
    const historyIds = async (key: string) =>
      (await history(key)).json().data.map((call: { callId: string }) => call.callId);
    expect(await historyIds(keyA)).toEqual([callId]);
    expect(await historyIds(keyB)).toEqual([]);

    const events = async (key: string, query = '') =>
      (await read(key, `/api/v1/vapi/events?callId=${callId}${query}`)).json().data;
    const [event] = await events(keyA);
    expect(event).toMatchObject({ callId, sourceId: source.id, outcome: 'stored' });
    expect(await events(keyB)).toEqual([]);
    expect((await read(keyA, `/api/v1/vapi/events/${event.id}`)).statusCode).toBe(200);
    expect((await read(keyB, `/api/v1/vapi/events/${event.id}`)).statusCode).toBe(404);

    const stats = async (key: string) => (await read(key, '/api/v1/vapi/stats')).json().data;
    expect((await stats(keyA)).calls.total).toBe(1);
    expect((await stats(keyA)).deliveries.total).toBe(1);
    expect((await stats(keyB)).calls.total).toBe(0);
    expect((await stats(keyB)).deliveries.total).toBe(0);
    expect((await stats(TEST_API_KEY)).calls.total).toBeGreaterThanOrEqual(1);

    const listed = async (key: string) =>
      (await read(key, '/api/v1/vapi/calls?limit=100')).json().data.map((c: { callId: string }) => c.callId);
    expect(await listed(keyA)).toEqual([callId]);
    expect(await listed(keyB)).toEqual([]);
  });

  it('hides default-source calls from scoped keys and lets them replay and delete only their own', async () => {
    const source = await createTestSource(app);
    // Replay and delete need write access (see write-access.test.ts); scope is what this test is about.
    const key = await createKey([source.id], 'read+write');
    const defaultCall = uniqueCallId('default');
    expect((await postWebhook(app, vapiFixture('end-of-call-report', defaultCall))).statusCode).toBe(200);

    expect((await read(key, `/api/v1/vapi/calls/${defaultCall}`)).statusCode).toBe(404);
    const [defaultEvent] = (await read(TEST_API_KEY, `/api/v1/vapi/events?callId=${defaultCall}`)).json()
      .data;
    expect(defaultEvent.sourceId).toBeNull();
    const refusedReplay = await app.inject({
      method: 'POST',
      url: `/api/v1/vapi/events/${defaultEvent.id}/replay`,
      headers: bearer(key),
    });
    expect(refusedReplay.statusCode).toBe(404);
    const refusedDelete = await app.inject({
      method: 'DELETE',
      url: `/api/v1/vapi/calls/${defaultCall}`,
      headers: bearer(key),
    });
    expect(refusedDelete.statusCode).toBe(404);
    expect(await rowCount('select 1 from vapi_call_results where call_id = $1', [defaultCall])).toBe(1);

    const ownCall = uniqueCallId('own');
    await postToSource(source.id, source.secret, vapiFixture('status-update-in-progress', ownCall));
    const [ownEvent] = (await read(key, `/api/v1/vapi/events?callId=${ownCall}`)).json().data;
    const replayed = await app.inject({
      method: 'POST',
      url: `/api/v1/vapi/events/${ownEvent.id}/replay`,
      headers: bearer(key),
    });
    expect(replayed.statusCode).toBe(200);
    expect(replayed.json().data.outcome).toBe('stored');
    // The replay is logged under the event's own source.
    expect(
      await queryDb('select source_id from vapi_webhook_events where id = $1', [
        replayed.json().data.eventId,
      ]),
    ).toEqual([{ source_id: source.id }]);

    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/vapi/calls/${ownCall}`,
      headers: bearer(key),
    });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json().data.deletedEvents).toBe(2);
  });
});

describe('a call belongs to one source', () => {
  it('logs a delivery for another source’s call as rejected (source-mismatch), answers 2xx and leaves the call alone', async () => {
    const source = await createTestSource(app);
    const other = await createTestSource(app);
    const callId = uniqueCallId('owned');
    await postToSource(source.id, source.secret, vapiFixture('status-update-in-progress', callId));

    const fromOther = await postToSource(other.id, other.secret, vapiFixture('end-of-call-report', callId));
    expect(fromOther.statusCode).toBe(200);
    const fromDefault = await postWebhook(app, vapiFixture('end-of-call-report', callId));
    expect(fromDefault.statusCode).toBe(200);

    expect(
      await queryDb(
        'select source_id, status, report_received_at from vapi_call_results where call_id = $1',
        [callId],
      ),
    ).toEqual([{ source_id: source.id, status: 'in-progress', report_received_at: null }]);
    const logged = await queryDb(
      'select source_id, outcome, error_code from vapi_webhook_events where call_id = $1 order by id',
      [callId],
    );
    expect(logged).toEqual([
      { source_id: source.id, outcome: 'stored', error_code: null },
      { source_id: other.id, outcome: 'rejected', error_code: 'source-mismatch' },
      { source_id: null, outcome: 'rejected', error_code: 'source-mismatch' },
    ]);

    // And the other way round: a source cannot write into a default-source call.
    const defaultCall = uniqueCallId('default-owned');
    await postWebhook(app, vapiFixture('status-update-in-progress', defaultCall));
    await postToSource(source.id, source.secret, vapiFixture('end-of-call-report', defaultCall));
    expect(
      await queryDb('select source_id, status from vapi_call_results where call_id = $1', [defaultCall]),
    ).toEqual([{ source_id: null, status: 'in-progress' }]);
  });
});

describe('the source webhook URL', () => {
  it('answers one 404 for unknown, disabled and malformed ids and stores nothing', async () => {
    const source = await createTestSource(app);
    const disabled = await app.inject({
      method: 'POST',
      url: `/api/v1/admin/sources/${source.id}/disable`,
      headers: adminAuth,
    });
    expect(disabled.statusCode).toBe(200);
    const callId = uniqueCallId('disabled');
    const bodies = new Set<string>();
    for (const id of [source.id, crypto.randomUUID(), 'not-a-uuid']) {
      const response = await postToSource(id, source.secret, vapiFixture('end-of-call-report', callId));
      expect(response.statusCode).toBe(404);
      const { requestId, ...body } = response.json();
      bodies.add(JSON.stringify(body));
    }
    expect(bodies.size).toBe(1);
    expect(await rowCount('select 1 from vapi_webhook_events where call_id = $1', [callId])).toBe(0);
    expect(await rowCount('select 1 from vapi_call_results where call_id = $1', [callId])).toBe(0);

    await app.inject({
      method: 'POST',
      url: `/api/v1/admin/sources/${source.id}/enable`,
      headers: adminAuth,
    });
    expect(
      (await postToSource(source.id, source.secret, vapiFixture('end-of-call-report', callId))).statusCode,
    ).toBe(200);
  });

  it('refuses a wrong signature with 401, counted by reason, and another source’s secret', async () => {
    const source = await createTestSource(app);
    const other = await createTestSource(app);
    const callId = uniqueCallId('unsigned');
    const wrong = await postToSource(source.id, other.secret, vapiFixture('end-of-call-report', callId));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain(other.secret);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/callbridge_webhook_verification_failures_total\{reason="[a-z-]+"\} [1-9]/);
    expect(await rowCount('select 1 from vapi_webhook_events where call_id = $1', [callId])).toBe(0);
  });

  it('accepts both secrets during a rotation overlap and only the new one after', async () => {
    const source = await createTestSource(app);
    const rotate = (overlapHours: number) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/admin/sources/${source.id}/rotate-secret`,
        headers: adminAuth,
        payload: { overlapHours },
      });
    const post = (secret: string) =>
      postToSource(source.id, secret, vapiFixture('status-update-in-progress', uniqueCallId('rotation')));

    const first = await rotate(1);
    expect(first.statusCode).toBe(200);
    const second = first.json().data.secret as string;
    expect((await post(source.secret)).statusCode).toBe(200);
    expect((await post(second)).statusCode).toBe(200);

    const third = (await rotate(0)).json().data.secret as string;
    expect((await post(source.secret)).statusCode).toBe(401);
    expect((await post(second)).statusCode).toBe(401);
    expect((await post(third)).statusCode).toBe(200);
  });

  it('removes a deleted source’s calls and events, and nothing else', async () => {
    const doomed = await createTestSource(app);
    const kept = await createTestSource(app);
    const doomedCall = uniqueCallId('doomed');
    const keptCall = uniqueCallId('kept');
    const defaultCall = uniqueCallId('default-kept');
    await postToSource(doomed.id, doomed.secret, vapiFixture('end-of-call-report', doomedCall));
    await postToSource(kept.id, kept.secret, vapiFixture('end-of-call-report', keptCall));
    await postWebhook(app, vapiFixture('end-of-call-report', defaultCall));

    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/sources/${doomed.id}?confirm=${doomed.id}`,
      headers: adminAuth,
    });
    expect(deleted.json().data).toEqual({ sourceId: doomed.id, deletedCalls: 1, deletedEvents: 1 });
    const counts = async (callId: string) => [
      await rowCount('select 1 from vapi_call_results where call_id = $1', [callId]),
      await rowCount('select 1 from vapi_webhook_events where call_id = $1', [callId]),
    ];
    expect(await counts(doomedCall)).toEqual([0, 0]);
    expect(await counts(keptCall)).toEqual([1, 1]);
    expect(await counts(defaultCall)).toEqual([1, 1]);
    expect(
      (await postToSource(doomed.id, doomed.secret, vapiFixture('end-of-call-report', doomedCall)))
        .statusCode,
    ).toBe(404);
  });
});

describe('keys on the wrong routes', () => {
  it('read routes refuse admin keys, admin routes refuse read keys, both like an unknown key', async () => {
    const source = await createTestSource(app);
    const { id: keyId, key } = await createKeyWithId([source.id]);
    const unknownRead = await read('cbk_not_a_key_at_all_1234567890', '/api/v1/vapi/stats');
    const adminOnRead = await read(TEST_ADMIN_KEY, '/api/v1/vapi/stats');
    expect(adminOnRead.statusCode).toBe(401);
    expect(adminOnRead.json().message).toBe(unknownRead.json().message);
    expect((await read(TEST_ADMIN_KEY, `/api/v1/vapi/events`)).statusCode).toBe(401);

    const readOnAdmin = await read(key, '/api/v1/admin/sources');
    expect(readOnAdmin.statusCode).toBe(401);
    const revoked = await app.inject({
      method: 'POST',
      url: `/api/v1/admin/read-keys/${keyId}/revoke`,
      headers: adminAuth,
    });
    expect(revoked.statusCode).toBe(200);
    expect((await read(key, '/api/v1/vapi/stats')).statusCode).toBe(401);
  });
});
