import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminTestApp, createScopedReadKey, createTestSource } from '../../support/admin.ts';
import { queryDb } from '../../support/database.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import type { TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

// Issue 18, finding 4: replay re-writes the store and delete removes a call's data, so a read key
// needs access `read+write` for them. These tests send what the holder of a read-only key would.
let app: TestApp;
beforeAll(async () => {
  app = await buildAdminTestApp({ READ_KEY_CACHE_MS: '0' });
});
afterAll(() => app.close());

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const count = async (sql: string, params: unknown[]) => (await queryDb(sql, params)).length;

async function sourceWithCall() {
  const source = await createTestSource(app);
  const callId = uniqueCallId('write-access');
  const body = JSON.stringify(vapiFixture('end-of-call-report', callId));
  const stored = await app.inject({
    method: 'POST',
    url: `/api/v1/vapi/sources/${source.id}/webhook`,
    payload: body,
    headers: vapiHmacHeaders(body, { secret: source.secret }),
  });
  expect(stored.statusCode).toBe(200);
  const [event] = await queryDb<{ id: string }>('select id from vapi_webhook_events where call_id = $1', [
    callId,
  ]);
  return { source, callId, eventId: Number(event?.id) };
}

const READ_ONLY_MESSAGE = 'This key may only read: replay and delete need a read+write key';

describe('a read-only key', () => {
  it('reads its source but gets 403 on replay (one and a range) and delete, which change nothing', async () => {
    const { source, callId, eventId } = await sourceWithCall();
    const { key } = await createScopedReadKey(app, [source.id], 'read');
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/vapi/calls/${callId}`, headers: bearer(key) }))
        .statusCode,
    ).toBe(200);

    const attempts = [
      { method: 'POST' as const, url: `/api/v1/vapi/events/${eventId}/replay` },
      {
        method: 'POST' as const,
        url: '/api/v1/vapi/events/replay',
        payload: { since: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' },
      },
      { method: 'DELETE' as const, url: `/api/v1/vapi/calls/${callId}` },
    ];
    for (const attempt of attempts) {
      const response = await app.inject({ ...attempt, headers: bearer(key) });
      expect(response.statusCode, attempt.url).toBe(403);
      expect(response.json()).toEqual({ success: false, error: 'Forbidden', message: READ_ONLY_MESSAGE });
    }
    expect(await count('select 1 from vapi_webhook_events where call_id = $1', [callId])).toBe(1);
    expect(await count('select 1 from vapi_call_results where call_id = $1', [callId])).toBe(1);
  });

  it('gets 403 even for an event or call it cannot see (no hint whether it exists)', async () => {
    const mine = await createTestSource(app);
    const theirs = await sourceWithCall();
    const { key } = await createScopedReadKey(app, [mine.id], 'read');
    const replay = await app.inject({
      method: 'POST',
      url: `/api/v1/vapi/events/${theirs.eventId}/replay`,
      headers: bearer(key),
    });
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/vapi/events/999999999/replay',
      headers: bearer(key),
    });
    expect([replay.statusCode, missing.statusCode]).toEqual([403, 403]);
  });
});

describe('a read+write key', () => {
  it('replays and deletes its own source’s data', async () => {
    const { source, callId, eventId } = await sourceWithCall();
    const { key } = await createScopedReadKey(app, [source.id], 'read+write');
    const replayed = await app.inject({
      method: 'POST',
      url: `/api/v1/vapi/events/${eventId}/replay`,
      headers: bearer(key),
    });
    expect(replayed.statusCode).toBe(200);
    expect(replayed.json().data).toMatchObject({ replayOf: eventId, outcome: 'stored' });
    expect(await count('select 1 from vapi_webhook_events where call_id = $1', [callId])).toBe(2);

    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/vapi/calls/${callId}`,
      headers: bearer(key),
    });
    expect(deleted.statusCode).toBe(200);
    expect(await count('select 1 from vapi_call_results where call_id = $1', [callId])).toBe(0);
  });

  it('still gets 404 for another source’s event: write access does not widen the scope', async () => {
    const mine = await createTestSource(app);
    const theirs = await sourceWithCall();
    const { key } = await createScopedReadKey(app, [mine.id], 'read+write');
    const replay = await app.inject({
      method: 'POST',
      url: `/api/v1/vapi/events/${theirs.eventId}/replay`,
      headers: bearer(key),
    });
    expect(replay.statusCode).toBe(404);
    expect(await count('select 1 from vapi_webhook_events where call_id = $1', [theirs.callId])).toBe(1);
  });
});
