import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useIsolatedStack } from '../../support/isolated-stack.ts';
import { parsePrometheusText, sampleValue } from '../../support/prometheus-text.ts';
import { getCall, postWebhook } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

// A short store budget: the 503 comes once it is spent.
const isolated = useIsolatedStack({ WEBHOOK_STORE_BUDGET_MS: '1500' });

async function storedCount(callId: string): Promise<{ rows: number; events: number }> {
  const db = new pg.Client({ connectionString: isolated.stack().dbUrl });
  await db.connect();
  try {
    const { rows } = await db.query(
      `select (select count(*)::int from vapi_call_results where call_id = $1) as rows,
              (select count(*)::int from vapi_webhook_events where call_id = $1) as events`,
      [callId],
    );
    return rows[0];
  } finally {
    await db.end();
  }
}

describe('while Supabase is unreachable', () => {
  it('answers webhooks 503 once the store budget is spent, acknowledges nothing it did not store, and recovers', async () => {
    const app = isolated.app();
    const stack = isolated.stack();
    const callId = uniqueCallId();
    await stack.stopRest();
    try {
      const down = await postWebhook(app, vapiFixture('end-of-call-report', callId));
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({
        success: false,
        error: 'Service Unavailable',
        message: 'The database is unavailable; try again shortly',
        requestId: down.headers['x-request-id'],
      });

      const read = await getCall(app, callId);
      expect(read.statusCode).toBe(503);

      const { samples } = parsePrometheusText((await app.inject({ method: 'GET', url: '/metrics' })).body);
      expect(
        sampleValue(samples, 'callbridge_webhooks_total', {
          type: 'end-of-call-report',
          outcome: 'unavailable',
        }),
      ).toBe(1);
      expect(sampleValue(samples, 'callbridge_store_retries_total')).toBeGreaterThan(0);
      expect(sampleValue(samples, 'callbridge_store_duration_seconds_count')).toBe(1);
      expect(sampleValue(samples, 'callbridge_store_duration_seconds_sum')).toBeGreaterThan(1);
    } finally {
      await stack.startRest();
    }
    expect(await storedCount(callId)).toEqual({ rows: 0, events: 0 });

    // VAPI's retry of the same delivery then lands.
    const retried = await postWebhook(app, vapiFixture('end-of-call-report', callId));
    expect(retried.statusCode, retried.body).toBe(200);
    expect(await storedCount(callId)).toEqual({ rows: 1, events: 1 });
    expect((await getCall(app, callId)).statusCode).toBe(200);
  });
});
