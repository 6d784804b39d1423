import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestSource, TEST_ADMIN_KEY, TEST_SOURCE_SECRETS_KEY } from '../../support/admin.ts';
import { useIsolatedStack } from '../../support/isolated-stack.ts';
import { parsePrometheusText, sampleValue } from '../../support/prometheus-text.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { buildTestApp, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

// Issue 18, finding 8: a signed delivery captured on the wire (a proxy log, a leaked request dump)
// verifies again for as long as its timestamp is inside the tolerance. Callbridge remembers it.
const isolated = useIsolatedStack({
  WEBHOOK_STORE_BUDGET_MS: '1500',
  ADMIN_API_KEYS: TEST_ADMIN_KEY,
  SOURCE_SECRETS_KEY: TEST_SOURCE_SECRETS_KEY,
  WEBHOOK_SOURCE_CACHE_MS: '0',
});

const URL = '/api/v1/vapi/webhook';

/** One delivery as VAPI sent it: the exact bytes and headers an attacker would capture and resend. */
function capture(callId: string, sign: Parameters<typeof vapiHmacHeaders>[1] = {}) {
  const body = JSON.stringify(vapiFixture('end-of-call-report', callId));
  return { body, headers: vapiHmacHeaders(body, sign) };
}

function send(app: TestApp, delivery: { body: string; headers: Record<string, string> }, url = URL) {
  return app.inject({ method: 'POST', url, payload: delivery.body, headers: delivery.headers });
}

async function eventCount(dbUrl: string, callId: string): Promise<number> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const sql = 'select count(*)::int as n from vapi_webhook_events where call_id = $1';
    return (await client.query<{ n: number }>(sql, [callId])).rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

describe('the same signed delivery sent twice inside its window', () => {
  it('is stored once: the copy is refused with 409 and counted as replayed-delivery', async () => {
    const app = isolated.app();
    const db = isolated.stack().dbUrl;
    const callId = uniqueCallId('replayed');
    const delivery = capture(callId);

    const first = await send(app, delivery);
    expect(first.statusCode).toBe(200);
    const copy = await send(app, delivery);
    expect(copy.statusCode).toBe(409);
    expect(copy.json()).toEqual({
      success: false,
      error: 'Conflict',
      message: 'This signed delivery was already received; it is not stored again',
    });
    expect(await eventCount(db, callId)).toBe(1);

    // The same signature re-encoded (upper-case hex decodes to the same bytes) is the same delivery.
    const shouted = {
      ...delivery,
      headers: { ...delivery.headers, 'x-signature': delivery.headers['x-signature']?.toUpperCase() ?? '' },
    };
    expect((await send(app, shouted)).statusCode).toBe(409);
    // So is it on the other default path.
    expect((await send(app, delivery, '/api/v1/vapi/webhooks/vapi')).statusCode).toBe(409);
    expect(await eventCount(db, callId)).toBe(1);

    const { samples } = parsePrometheusText((await app.inject({ method: 'GET', url: '/metrics' })).body);
    expect(
      sampleValue(samples, 'callbridge_webhook_verification_failures_total', { reason: 'replayed-delivery' }),
    ).toBe(3);
  });

  it('does not refuse a different delivery of the same call, nor the same body signed at another time', async () => {
    const app = isolated.app();
    const db = isolated.stack().dbUrl;
    const callId = uniqueCallId('distinct');
    const body = JSON.stringify(vapiFixture('end-of-call-report', callId));
    const now = Date.now();
    const at = (ms: number) => ({ body, headers: vapiHmacHeaders(body, { timestamp: String(ms) }) });
    expect((await send(app, at(now))).statusCode).toBe(200);
    // VAPI signing the same message again (a new timestamp) is a new delivery, not a replay.
    expect((await send(app, at(now + 1))).statusCode).toBe(200);
    expect((await send(app, capture(callId))).statusCode).toBe(200);
    expect(await eventCount(db, callId)).toBe(3);
  });

  it("lets VAPI's retry of a delivery that was not stored (503) through, and stores it once", async () => {
    const app = isolated.app();
    const stack = isolated.stack();
    const callId = uniqueCallId('retried');
    const delivery = capture(callId);
    await stack.stopRest();
    try {
      expect((await send(app, delivery)).statusCode).toBe(503);
    } finally {
      await stack.startRest();
    }
    expect(await eventCount(stack.dbUrl, callId)).toBe(0);

    // The exact bytes and headers again, as VAPI's backoffPlan resends them.
    const retried = await send(app, delivery);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(await eventCount(stack.dbUrl, callId)).toBe(1);
    // And once it is stored, the next copy is a replay.
    expect((await send(app, delivery)).statusCode).toBe(409);
    expect(await eventCount(stack.dbUrl, callId)).toBe(1);
  });

  it('lets a signed body that is not JSON (400) be sent again: only a 2xx is remembered', async () => {
    const app = isolated.app();
    const body = '{"message": not json';
    const delivery = { body, headers: vapiHmacHeaders(body) };
    expect((await send(app, delivery)).statusCode).toBe(400);
    expect((await send(app, delivery)).statusCode).toBe(400);
  });

  it('keys the memory by source: the same signed bytes to another source are that source’s first copy', async () => {
    const app = isolated.app();
    const db = isolated.stack().dbUrl;
    const secret = 'shared-secret-0123456789abcdef';
    const [a, b] = [await createTestSource(app, { secret }), await createTestSource(app, { secret })];
    const callId = uniqueCallId('keyed');
    const delivery = capture(callId, { secret });
    const toSource = (id: string) => `/api/v1/vapi/sources/${id}/webhook`;
    expect((await send(app, delivery, toSource(a.id))).statusCode).toBe(200);
    // Authentic for b too; the call belongs to a, so b's copy is logged as rejected (source-mismatch).
    expect((await send(app, delivery, toSource(b.id))).statusCode).toBe(200);
    expect((await send(app, delivery, toSource(a.id))).statusCode).toBe(409);
    expect((await send(app, delivery, toSource(b.id))).statusCode).toBe(409);
    expect(await eventCount(db, callId)).toBe(2);
  });
});

describe('HMAC without a timestamp (VAPI_HMAC_INCLUDE_TIMESTAMP=false)', () => {
  it('still refuses the same delivery again within the tolerance of its first arrival', async () => {
    const app = await buildTestApp({
      SUPABASE_URL: isolated.stack().url,
      SUPABASE_SERVICE_ROLE_KEY: isolated.stack().serviceRoleKey,
      VAPI_HMAC_INCLUDE_TIMESTAMP: 'false',
    });
    try {
      const callId = uniqueCallId('no-timestamp');
      const delivery = capture(callId, { bodyOnly: true });
      expect((await send(app, delivery)).statusCode).toBe(200);
      expect((await send(app, delivery)).statusCode).toBe(409);
      expect(await eventCount(isolated.stack().dbUrl, callId)).toBe(1);
    } finally {
      await app.close();
    }
  });
});
