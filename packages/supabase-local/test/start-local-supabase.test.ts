import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSupabase, startLocalSupabase } from '../src/index.ts';

const TABLES = ['vapi_call_results', 'vapi_webhook_events'] as const;
let stack: LocalSupabase;
let db: pg.Client;

beforeAll(async () => {
  stack = await startLocalSupabase();
  db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await stack?.stop();
});

function clientFor(key: string) {
  return createClient(stack.url, key, { auth: { persistSession: false, autoRefreshToken: false } });
}

describe('the local stack', () => {
  it('records every migration it applied in supabase_migrations.schema_migrations', async () => {
    const { rows } = await db.query('select version, name from supabase_migrations.schema_migrations');
    expect(rows).toContainEqual({ version: '20261201000000', name: 'tables' });
  });

  it('creates both tables with row level security enabled', async () => {
    const { rows } = await db.query(
      `select relname, relrowsecurity from pg_class where relnamespace = 'public'::regnamespace and relname = any($1)`,
      [TABLES],
    );
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.relrowsecurity)).toBe(true);
  });

  it('indexes results by call id, by customer newest-first and by status and time', async () => {
    const { rows } = await db.query<{ indexdef: string }>(
      `select indexdef from pg_indexes where tablename = 'vapi_call_results'`,
    );
    const definitions = rows.map((row) => row.indexdef);
    expect(definitions).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/UNIQUE INDEX .* \(call_id\)/),
        expect.stringMatching(/\(customer_number, created_at DESC, call_id DESC\)/),
        expect.stringMatching(/\(status, updated_at DESC\)/),
      ]),
    );
  });

  it('lets the service-role key write and read both tables through /rest/v1', async () => {
    const service = clientFor(stack.serviceRoleKey);
    const callId = `svc-${crypto.randomUUID()}`;
    const inserted = await service.from('vapi_call_results').insert({ call_id: callId, status: 'queued' });
    expect(inserted.error).toBeNull();
    const logged = await service
      .from('vapi_webhook_events')
      .insert({ call_id: callId, event_type: 'status-update', payload_bytes: 10, outcome: 'stored' });
    expect(logged.error).toBeNull();

    const read = await service.from('vapi_call_results').select('call_id, status').eq('call_id', callId);
    expect(read.data).toEqual([{ call_id: callId, status: 'queued' }]);
  });

  const validRow = {
    vapi_call_results: (callId: string) => ({ call_id: callId }),
    vapi_webhook_events: (callId: string) => ({
      call_id: callId,
      event_type: 'hang',
      payload_bytes: 1,
      outcome: 'stored',
    }),
  };

  it.each(TABLES)('keeps the anon key from reading or writing %s', async (table) => {
    const service = clientFor(stack.serviceRoleKey);
    const callId = `anon-${crypto.randomUUID()}`;
    await service.from('vapi_call_results').insert({ call_id: callId });
    await service
      .from('vapi_webhook_events')
      .insert({ call_id: callId, event_type: 'hang', payload_bytes: 1, outcome: 'stored' });

    const anon = clientFor(stack.anonKey);
    const read = await anon.from(table).select('*').eq('call_id', callId);
    expect(read.data ?? []).toEqual([]);
    expect(read.error?.code).toBe('42501');

    const write = await anon.from(table).insert(validRow[table](`x-${callId}`));
    expect(write.error?.code).toBe('42501');
    const { rows } = await db.query(`select count(*)::int as n from ${table} where call_id = $1`, [
      `x-${callId}`,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('keeps the event log append-only', async () => {
    const callId = `log-${crypto.randomUUID()}`;
    await db.query(
      `insert into vapi_webhook_events (call_id, event_type, payload_bytes, outcome) values ($1, 'hang', 1, 'stored')`,
      [callId],
    );
    await expect(
      db.query(`update vapi_webhook_events set outcome = 'failed' where call_id = $1`, [callId]),
    ).rejects.toThrow(/append-only/);
  });

  it('passes a text/plain body over 1 MiB through /rest/v1 untouched, as the Supabase gateway does', async () => {
    // The API's ingest batches go as text/plain (20261204000000_ingest_text_body.sql).
    const summary = 'é'.repeat(700_000);
    const response = await fetch(`${stack.url}/rest/v1/rpc/ingest_vapi_deliveries`, {
      method: 'POST',
      headers: {
        apikey: stack.serviceRoleKey,
        authorization: `Bearer ${stack.serviceRoleKey}`,
        'content-type': 'text/plain; charset=utf-8',
      },
      body: JSON.stringify({
        notAfter: null,
        events: [
          {
            deliveryId: crypto.randomUUID(),
            callId: `big-${crypto.randomUUID()}`,
            eventType: 'end-of-call-report',
            eventAt: new Date().toISOString(),
            payloadBytes: 1,
            outcome: 'stored',
            payload: { message: { summary } },
            isReport: true,
            fields: { summary },
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([expect.objectContaining({ outcome: 'stored', errorCode: null })]);
  });

  it('answers 401 without an apikey, or with a key it did not issue, as the Supabase gateway does', async () => {
    const missing = await fetch(`${stack.url}/rest/v1/vapi_call_results`);
    expect(missing.status).toBe(401);
    const forged = await fetch(`${stack.url}/rest/v1/vapi_call_results`, { headers: { apikey: 'forged' } });
    expect(forged.status).toBe(401);
  });
});
