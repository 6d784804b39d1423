import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { purgeRetention, type RetentionSettings } from '../../../src/services/retention-service.ts';
import { queryDb } from '../../support/database.ts';
import { buildTestApp, type TestApp } from '../../support/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp({ RETENTION_WORKER_ENABLED: 'false' });
});
afterAll(() => app.close());

const RETENTION_LOCK = 4726550001;
const keepCalls: RetentionSettings = { payloadDays: 30, eventDays: 90, callDays: undefined, batch: 5 };

async function seedEvents(prefix: string, count: number, daysAgo: number, withPayload: boolean) {
  await queryDb(
    `insert into vapi_webhook_events (call_id, event_type, outcome, payload_bytes, payload, received_at)
     select $1, 'status-update', 'stored', 10, case when $4 then '{"message":{}}'::jsonb end,
       now() - make_interval(days => $3)
     from generate_series(1, $2)`,
    [prefix, count, daysAgo, withPayload],
  );
}

async function seedCall(callId: string, daysAgo: number) {
  await queryDb(
    "insert into vapi_call_results (call_id, status, updated_at) values ($1, 'ended', now() - make_interval(days => $2))",
    [callId, daysAgo],
  );
}

async function eventsOf(callId: string) {
  return queryDb<{ payload: unknown }>('select payload from vapi_webhook_events where call_id = $1', [
    callId,
  ]);
}

/** Purges until a batch comes back short, as the worker does. */
async function drain(settings: RetentionSettings) {
  const results = [];
  for (;;) {
    const result = await purgeRetention(app.supabase, settings);
    results.push(result);
    if (Math.max(result.payloadsCleared, result.eventsDeleted, result.callsDeleted) < settings.batch)
      return results;
  }
}

describe('purge_vapi_retention', () => {
  it('purges exactly the rows past each limit, at most one batch per rule per call', async () => {
    await seedEvents('retention-expired', 3, 100, false);
    await seedEvents('retention-old-payload', 12, 40, true);
    await seedEvents('retention-recent', 2, 10, true);
    await seedCall('retention-call-old-1', 400);
    await seedCall('retention-call-old-2', 400);
    await seedCall('retention-call-recent', 10);

    // Other test files share the database, so count batches rather than exact totals.
    const first = await drain(keepCalls);
    expect(first.length).toBeGreaterThanOrEqual(3);
    expect(first.every((r) => r.locked && r.payloadsCleared <= 5 && r.eventsDeleted <= 5)).toBe(true);
    expect(first.every((r) => r.callsDeleted === 0)).toBe(true);
    expect(
      await queryDb("select 1 from vapi_call_results where call_id like 'retention-call-old-%'"),
    ).toHaveLength(2);
    await drain({ ...keepCalls, callDays: 365 });

    expect(await eventsOf('retention-expired')).toEqual([]);
    const oldPayloads = await eventsOf('retention-old-payload');
    expect(oldPayloads).toHaveLength(12);
    expect(oldPayloads.every((row) => row.payload === null)).toBe(true);
    expect((await eventsOf('retention-recent')).map((row) => row.payload)).toEqual([
      { message: {} },
      { message: {} },
    ]);
    const calls = await queryDb(
      "select call_id from vapi_call_results where call_id like 'retention-call-%'",
    );
    expect(calls.map((row) => row.call_id)).toEqual(['retention-call-recent']);
  });

  it('does nothing while another instance holds the purge lock', async () => {
    await seedEvents('retention-locked', 1, 40, true);
    const holder = new pg.Client({ connectionString: inject('supabase').dbUrl });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock($1)', [RETENTION_LOCK]);
      expect(await purgeRetention(app.supabase, keepCalls)).toEqual({
        locked: false,
        payloadsCleared: 0,
        eventsDeleted: 0,
        callsDeleted: 0,
      });
      expect((await eventsOf('retention-locked'))[0]?.payload).not.toBeNull();
    } finally {
      await holder.query('select pg_advisory_unlock($1)', [RETENTION_LOCK]);
      await holder.end();
    }
    await drain(keepCalls);
    expect((await eventsOf('retention-locked'))[0]?.payload).toBeNull();
  });

  it('keeps the log append-only except for clearing a payload', async () => {
    await seedEvents('retention-append-only', 1, 1, true);
    await expect(
      queryDb("update vapi_webhook_events set outcome = 'failed' where call_id = 'retention-append-only'"),
    ).rejects.toThrow(/append-only/);
    await expect(
      queryDb(
        "update vapi_webhook_events set payload = null, outcome = 'failed' where call_id = 'retention-append-only'",
      ),
    ).rejects.toThrow(/append-only/);
    await queryDb("update vapi_webhook_events set payload = null where call_id = 'retention-append-only'");
    expect((await eventsOf('retention-append-only'))[0]?.payload).toBeNull();
  });
});
