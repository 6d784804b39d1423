import type { SupabaseClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { type ReadScope, readScopeFilter, readScopeSourceIds } from '../lib/read-scope.ts';
import { CALL_READS_VIEW, type CallRow } from '../schemas/call-row-schema.ts';
import { postgresFailure } from './postgres-failure.ts';
import { supabaseFailure } from './supabase-failure.ts';

/** One call's row as the read routes show it, or null when the call is unknown in the caller's scope. */
export type CallRowReader = (callId: string, scope: ReadScope) => Promise<CallRow | null>;

/** Through PostgREST with supabase-js: the default. */
export function postgrestCallRowReader(supabase: SupabaseClient): CallRowReader {
  return async (callId, scope) => {
    let query = supabase.from(CALL_READS_VIEW).select('*').eq('call_id', callId);
    const scoped = readScopeFilter(scope);
    if (scoped) query = query.filter(...scoped);
    const response = await query.maybeSingle<CallRow>();
    if (response.error) supabaseFailure(response, 'reading a call result');
    return response.data;
  };
}

// row_to_json writes the row exactly as PostgREST would (same column names, same JSON for timestamps
// and numerics), so both readers give the same CallRow.
const READ_CALL_ROW = {
  name: 'callbridge-read-call-row',
  text: `select row_to_json(r)::text as row from public.${CALL_READS_VIEW} r
    where r.call_id = $1 and ($2::uuid[] is null or r.source_id = any($2::uuid[]))`,
};

/**
 * Over DATABASE_URL's direct connection: one query on a pooled connection instead of a request through
 * the API gateway and PostgREST, which cost more CPU per read than all of Callbridge's own work.
 */
export function postgresCallRowReader(pool: pg.Pool): CallRowReader {
  return async (callId, scope) => {
    let result: pg.QueryResult<{ row: string }>;
    try {
      result = await pool.query<{ row: string }>({
        ...READ_CALL_ROW,
        values: [callId, readScopeSourceIds(scope)],
      });
    } catch (error) {
      postgresFailure(error, 'reading a call result');
    }
    const text = result.rows[0]?.row;
    return text === undefined ? null : (JSON.parse(text) as CallRow);
  };
}
