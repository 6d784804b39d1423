import pg from 'pg';
import { inject } from 'vitest';

/** Reads what was really stored, straight from Postgres, bypassing the code under test. */
export async function queryDb<Row extends Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: inject('supabase').dbUrl });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function callRow(callId: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await queryDb('select * from vapi_call_results where call_id = $1', [callId]);
  return row;
}

export async function callEvents(callId: string): Promise<Record<string, unknown>[]> {
  return queryDb('select * from vapi_webhook_events where call_id = $1 order by id', [callId]);
}
